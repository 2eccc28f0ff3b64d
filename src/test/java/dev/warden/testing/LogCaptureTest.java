package dev.warden.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class LogCaptureTest {
    private static final Logger LOG = LoggerFactory.getLogger(LogCaptureTest.class);

    @Test
    void capturesMessagesAtEveryLevelFromEveryThread() throws Exception {
        try (LogCapture logs = LogCapture.start()) {
            LOG.trace("trace {}", "one");
            LOG.warn("warn {}", "two");
            ExecutorService executor = Executors.newSingleThreadExecutor();
            executor.submit(() -> LoggerFactory.getLogger("some.other.logger").debug("from another thread")).get();
            executor.shutdown();
            assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();

            assertThat(logs.lines()).containsExactly(
                    "TRACE dev.warden.testing.LogCaptureTest - trace one",
                    "WARN dev.warden.testing.LogCaptureTest - warn two",
                    "DEBUG some.other.logger - from another thread");
        }
    }

    @Test
    void findsSecretsInMdcKeyValuesAndStackTraces() {
        try (LogCapture logs = LogCapture.start()) {
            MDC.put("credential", "secret-in-mdc");
            try {
                LOG.info("with mdc");
            }
            finally {
                MDC.remove("credential");
            }
            LOG.atInfo().addKeyValue("password", "secret-in-kv").log("with key-value");
            LOG.error("failed", new IllegalStateException("wrapper", new RuntimeException("secret-in-cause")));

            assertThat(logs.anyLineContains("secret-in-mdc")).isTrue();
            assertThat(logs.anyLineContains("secret-in-kv")).isTrue();
            assertThat(logs.anyLineContains("secret-in-cause")).isTrue();
            assertThat(logs.anyLineContains("never-logged")).isFalse();
        }
    }

    @Test
    void restoresTheRootLoggerWhenClosed() {
        ch.qos.logback.classic.Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory())
                .getLogger(Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        int appendersBefore = appenderCount(root);

        LogCapture logs = LogCapture.start();
        assertThat(root.getLevel()).isEqualTo(Level.TRACE);
        logs.close();
        LOG.error("after close");

        assertThat(root.getLevel()).isEqualTo(before);
        assertThat(appenderCount(root)).isEqualTo(appendersBefore);
        assertThat(logs.lines()).isEmpty();
    }

    private static int appenderCount(ch.qos.logback.classic.Logger logger) {
        int count = 0;
        for (var appenders = logger.iteratorForAppenders(); appenders.hasNext(); appenders.next()) {
            count++;
        }
        return count;
    }
}
