package dev.warden.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestNames {

    @Test
    void acceptsOrdinaryNames() {
        assertThat(Names.problem("agent-1")).isEmpty();
        assertThat(Names.problem("a".repeat(63))).isEmpty();
    }

    @Test
    void rejectsEmptyWhitespaceAndLongNames() {
        assertThat(Names.problem("")).contains("must not be empty");
        assertThat(Names.problem(null)).contains("must not be empty");
        assertThat(Names.problem("agent 1")).contains("must not contain whitespace or control characters");
        assertThat(Names.problem("agent\t1")).isPresent();
        assertThat(Names.problem("agent\u00001")).isPresent();
        assertThat(Names.problem("a".repeat(64))).hasValueSatisfying(p -> assertThat(p).contains("at most 63 bytes"));
        // Bytes, not characters: PostgreSQL's limit is on the encoded name.
        assertThat(Names.problem("é".repeat(32))).isPresent();
    }
}
