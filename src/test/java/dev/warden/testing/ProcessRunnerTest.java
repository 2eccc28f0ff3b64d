package dev.warden.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProcessRunnerTest {
    @Test
    void findsProgramsOnThePath() {
        assertThat(ProcessRunner.available("sh")).isTrue();
        assertThat(ProcessRunner.available("/bin/sh")).isTrue();
        assertThat(ProcessRunner.available("warden-no-such-program")).isFalse();
        assertThat(ProcessRunner.available("/nonexistent/sh")).isFalse();
    }

    @Test
    void capturesOutputErrorAndExitCode() throws Exception {
        ProcessResult result = ProcessRunner.program("sh")
                .args("-c", "read line; echo \"$line $GREETING\"; echo oops >&2; exit 3")
                .env("GREETING", "world")
                .stdin("hello\n")
                .run();

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.stdout()).isEqualTo("hello world\n");
        assertThat(result.stderr()).isEqualTo("oops\n");
    }

    @Test
    void doesNotPassLibpqSettingsFromTheEnvironmentThrough() throws Exception {
        ProcessResult result = ProcessRunner.program("sh")
                .args("-c", "env | grep '^PG' | sort")
                .env("PGPORT", "5999")
                .run();

        assertThat(result.stdout()).isEqualTo("PGPORT=5999\n");
    }

    @Test
    void killsAProgramThatOverrunsItsTimeout() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> ProcessRunner.program("sh")
                .args("-c", "echo started; sleep 30")
                .timeout(Duration.ofMillis(500))
                .run())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not finish within PT0.5S")
                .hasMessageContaining("started");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }
}
