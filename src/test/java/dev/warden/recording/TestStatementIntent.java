package dev.warden.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TestStatementIntent {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/* intent: fix order 42 */ UPDATE orders SET x = 1|fix order 42",
        "/*INTENT:   spaced\\n  out  */SELECT 1|spaced out",
        "-- a note\\n/* other */ /* intent: after comments */ SELECT 1|after comments",
        "/* intent: outer /* nested */ still */ SELECT 1|outer /* nested */ still",
    })
    void fromLeadingComment(String text, String intent) {
        assertThat(StatementIntent.extract("psql", text.replace("\\n", "\n"))).contains(intent);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SELECT 1 /* intent: too late */",
        "SELECT '/* intent: in a string */'",
        "/* intent: unclosed SELECT 1",
        "/* intent:    */ SELECT 1",
        "/* not an intent */ SELECT 1",
    })
    void notAnIntent(String text) {
        assertThat(StatementIntent.extract("psql", text)).isEmpty();
    }

    @Test
    void fromApplicationNameWhenItSaysSo() {
        assertThat(StatementIntent.extract("intent: nightly export", "SELECT 1")).contains("nightly export");
        assertThat(StatementIntent.extract("intent: nightly", "/* intent: this one */ SELECT 1")).contains("this one");
        assertThat(StatementIntent.extract("DBeaver 24.1", "SELECT 1")).isEmpty();
        assertThat(StatementIntent.extract(null, null)).isEmpty();
    }

    @Test
    void controlCharactersAreDroppedAndLengthIsCapped() {
        assertThat(StatementIntent.extract(null, "/* intent: a\u001b[31mb */ SELECT 1")).contains("a [31mb");
        Optional<String> longIntent = StatementIntent.extract(null, "/* intent: " + "x".repeat(2000) + " */ SELECT 1");
        assertThat(longIntent).hasValueSatisfying(intent -> assertThat(intent).hasSize(StatementIntent.MAX_LENGTH));
    }
}
