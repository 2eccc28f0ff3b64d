package dev.warden.testing;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Captures every log line written in this JVM, by any thread, between {@link #start()} and
 * {@link #close()}, so that a test can assert that a secret never reaches a log.
 *
 * <pre>{@code
 * try (LogCapture logs = LogCapture.start()) {
 *     ... exercise the gateway ...
 *     assertThat(logs.lines()).noneMatch(line -> line.contains(password));
 * }
 * }</pre>
 *
 * <p>While capturing, every logger is lowered to TRACE, including those quietened in logback.xml: a
 * secret in a debug line leaks as soon as an operator turns debugging on, so those lines must be
 * produced to be checked. Levels are restored on close. Messages logged through java.util.logging (pgJDBC) are
 * not seen.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger root;
    private final Map<Logger, Level> previousLevels;
    private final CapturingAppender appender;

    private LogCapture(Logger root, Map<Logger, Level> previousLevels, CapturingAppender appender) {
        this.root = requireNonNull(root, "root is null");
        this.previousLevels = requireNonNull(previousLevels, "previousLevels is null");
        this.appender = requireNonNull(appender, "appender is null");
    }

    public static LogCapture start() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            throw new IllegalStateException("SLF4J is not bound to logback but to " + factory.getClass().getName());
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        CapturingAppender appender = new CapturingAppender();
        appender.setContext(context);
        appender.setName("warden-log-capture");
        appender.start();
        Map<Logger, Level> previousLevels = new HashMap<>();
        for (Logger logger : context.getLoggerList()) {
            if (logger.getLevel() != null) {
                previousLevels.put(logger, logger.getLevel());
                logger.setLevel(Level.TRACE);
            }
        }
        root.addAppender(appender);
        return new LogCapture(root, previousLevels, appender);
    }

    /**
     * The lines captured so far, oldest first. Each holds the level, the logger, the formatted
     * message, the MDC, the key-value pairs and the stack trace, so a secret is found wherever a
     * layout could have printed it.
     */
    public List<String> lines() {
        return List.copyOf(appender.lines);
    }

    public boolean anyLineContains(String text) {
        requireNonNull(text, "text is null");
        return appender.lines.stream().anyMatch(line -> line.contains(text));
    }

    @Override
    public void close() {
        previousLevels.forEach(Logger::setLevel);
        root.detachAppender(appender);
        appender.stop();
    }

    private static final class CapturingAppender extends AppenderBase<ILoggingEvent> {
        private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

        @Override
        protected void append(ILoggingEvent event) {
            StringBuilder line = new StringBuilder()
                    .append(event.getLevel()).append(' ')
                    .append(event.getLoggerName()).append(" - ")
                    .append(event.getFormattedMessage());
            if (!event.getMDCPropertyMap().isEmpty()) {
                line.append(" mdc=").append(event.getMDCPropertyMap());
            }
            if (event.getKeyValuePairs() != null && !event.getKeyValuePairs().isEmpty()) {
                line.append(" kv=").append(event.getKeyValuePairs());
            }
            if (event.getThrowableProxy() != null) {
                line.append(System.lineSeparator()).append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
            lines.add(line.toString());
        }
    }
}
