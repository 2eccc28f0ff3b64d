package dev.warden.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestSessionReplay {

    @Test
    void printsTheSessionAsTheClientSawIt() throws Exception {
        List<Long> waits = new ArrayList<>();

        String text = replay(SampleSession.records(), waits::add);

        assertThat(text).isEqualTo(SampleSession.REPLAY);
        assertThat(waits).containsExactly(10_000L, 2_500L, 500L, 1_987_000L, 500L, 2_999_500L);
    }

    @Test
    void recordedDataCannotDriveTheTerminal() throws Exception {
        List<ChainedRecord> records = new ChainBuilder(SampleSession.ID)
                .add(0, RecordKind.SESSION_END, RecordBodies.sessionEnd("bye\u001b]0;pwned\u0007"))
                .add(1, RecordKind.RESULT, "not json")
                .build();

        String text = replay(records, micros -> { });

        assertThat(text).contains("session end: bye\\x1b]0;pwned\\x07").contains("#2 RESULT (body is not a JSON object): not json")
                .doesNotContain("\u001b");
    }

    private static String replay(List<ChainedRecord> records, SessionReplay.Pacer pacer) throws InterruptedException {
        StringWriter text = new StringWriter();
        new SessionReplay(new PrintWriter(text), pacer).print(SampleSession.info(true), records.iterator());
        return text.toString().replace(System.lineSeparator(), "\n");
    }
}
