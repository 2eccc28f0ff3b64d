package dev.warden.catalog;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.config.TargetConfig;
import dev.warden.config.UpstreamCredential;
import dev.warden.policy.RowEstimate;
import dev.warden.sql.SqlLexException;
import dev.warden.sql.SqlLexer;
import dev.warden.sql.Token;
import dev.warden.sql.TokenType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blast radius of a write before it runs: asks the target's planner with {@code EXPLAIN} (never
 * ANALYZE: nothing executes) inside a READ ONLY transaction that is rolled back, on a connection of
 * the gateway's own with the read-only credential. A role that may not plan the write (PostgreSQL
 * checks privileges when planning) is retried with the read-write credential, still READ ONLY.
 *
 * <p>Bounded: a small pool of threads and queue, a statement timeout, and any failure gives
 * {@link RowEstimate#UNAVAILABLE}, which rules read restrictively (the statement is assumed large).
 */
public final class RowEstimator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RowEstimator.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(2);
    private static final int THREADS = 2;
    private static final int QUEUE = 256;

    private final Map<String, TargetConfig> targets;
    private final Duration connectTimeout;
    private final ThreadPoolExecutor executor;
    /** One connection per target and credential, used by one estimate at a time. */
    private final Map<String, Connection> connections = new HashMap<>();

    public RowEstimator(Map<String, TargetConfig> targets, Duration connectTimeout) {
        this.targets = Map.copyOf(requireNonNull(targets, "targets is null"));
        this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout is null");
        this.executor = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                runnable -> {
                    Thread thread = new Thread(runnable, "warden-row-estimator");
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    /**
     * Estimates the rows {@code sql} would touch on {@code target}.
     *
     * @param parameters the bound parameter values as text (null for SQL NULL), substituted for
     *     {@code $n} as literals; empty when a value cannot be written as text (then no estimate)
     */
    public CompletableFuture<RowEstimate> estimate(String target, String sql, Optional<List<String>> parameters) {
        return estimate(target, sql, parameters, false);
    }

    /**
     * @param exact count by running the statement in a transaction that is rolled back (with the
     *     read-write credential, statement and lock timeouts) instead of asking the planner; falls
     *     back to the planner when the target has no read-write credential
     */
    public CompletableFuture<RowEstimate> estimate(String target, String sql, Optional<List<String>> parameters,
            boolean exact) {
        TargetConfig config = targets.get(target);
        Optional<String> explainable = parameters.flatMap(values -> withParameters(sql, values));
        if (config == null || explainable.isEmpty()) {
            return CompletableFuture.completedFuture(RowEstimate.UNAVAILABLE);
        }
        try {
            boolean dryRun = exact && config.readWrite().isPresent();
            return CompletableFuture.supplyAsync(() -> dryRun ? dryRun(config, explainable.get()) : plan(config, explainable.get()),
                    executor);
        } catch (RejectedExecutionException e) {
            log.warn("target {}: too many row estimates waiting; deciding without one", target);
            return CompletableFuture.completedFuture(RowEstimate.UNAVAILABLE);
        }
    }

    private RowEstimate plan(TargetConfig target, String sql) {
        try {
            return plan(target, target.readOnly(), sql);
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState()) && target.readWrite().isPresent()) {
                try {
                    return plan(target, target.readWrite().get(), sql);
                } catch (SQLException retry) {
                    e = retry;
                }
            }
            log.info("target {}: no row estimate ({}): {}", target.name(), e.getSQLState(), firstLine(e.getMessage()));
            return RowEstimate.UNAVAILABLE;
        } catch (RuntimeException e) {
            log.warn("target {}: no row estimate: {}", target.name(), e.toString());
            return RowEstimate.UNAVAILABLE;
        }
    }

    /**
     * Runs the statement and rolls it back, for the exact count. Side effects outside the
     * transaction still happen (sequences advance; triggers that reach elsewhere run) and its locks
     * are held until the rollback: that is why rules must ask for it ({@code exact: true}).
     */
    private RowEstimate dryRun(TargetConfig target, String sql) {
        UpstreamCredential credential = target.readWrite().orElseThrow();
        String key = target.name() + "\u0000dry\u0000" + credential.user();
        synchronized (connectionLock(key)) {
            Connection connection = null;
            try {
                connection = connection(key, target, credential, false);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET LOCAL statement_timeout = " + STATEMENT_TIMEOUT.toMillis());
                    statement.execute("SET LOCAL lock_timeout = " + STATEMENT_TIMEOUT.toMillis());
                    long rows;
                    if (statement.execute(sql)) {
                        rows = 0;
                        try (ResultSet returned = statement.getResultSet()) {
                            while (returned.next()) {
                                rows++;
                            }
                        }
                    } else {
                        rows = Math.max(0, statement.getUpdateCount());
                    }
                    return RowEstimate.of(rows);
                }
            } catch (SQLException e) {
                log.info("target {}: no dry-run count ({}): {}", target.name(), e.getSQLState(), firstLine(e.getMessage()));
                if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                    forget(key);
                }
                return RowEstimate.UNAVAILABLE;
            } finally {
                if (connection != null) {
                    try {
                        connection.rollback();
                    } catch (SQLException e) {
                        forget(key);
                    }
                }
            }
        }
    }

    private RowEstimate plan(TargetConfig target, UpstreamCredential credential, String sql) throws SQLException {
        String key = target.name() + "\u0000" + credential.user();
        synchronized (connectionLock(key)) {
            Connection connection = connection(key, target, credential, true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL statement_timeout = " + STATEMENT_TIMEOUT.toMillis());
                try (ResultSet plan = statement.executeQuery("EXPLAIN (FORMAT JSON) " + sql)) {
                    plan.next();
                    return RowEstimate.of(rowsOf(JSON.readTree(plan.getString(1))));
                }
            } catch (SQLException e) {
                if (isConnectionLost(e)) {
                    forget(key);
                }
                throw e;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("unreadable plan", e);
            } finally {
                try {
                    if (!connection.isClosed()) {
                        connection.rollback();
                    }
                } catch (SQLException ignored) {
                    forget(key);
                }
            }
        }
    }

    private final Map<String, Object> locks = new java.util.concurrent.ConcurrentHashMap<>();

    private Object connectionLock(String key) {
        return locks.computeIfAbsent(key, k -> new Object());
    }

    private Connection connection(String key, TargetConfig target, UpstreamCredential credential, boolean readOnly)
            throws SQLException {
        Connection connection;
        synchronized (connections) {
            connection = connections.get(key);
        }
        if (connection != null && !connection.isClosed()) {
            return connection;
        }
        try {
            connection = TargetConnections.open(target, credential, "warden-estimate", connectTimeout,
                    (int) STATEMENT_TIMEOUT.toSeconds() + 5);
        } catch (dev.warden.config.SecretUnavailableException e) {
            throw new SQLException("the credential is unavailable", "08001");
        }
        // Every estimate runs in a transaction that is rolled back; a planner's estimate in a READ ONLY
        // one (EXPLAIN plans, never writes).
        connection.setAutoCommit(false);
        connection.setReadOnly(readOnly);
        synchronized (connections) {
            connections.put(key, connection);
        }
        return connection;
    }

    private void forget(String key) {
        Connection connection;
        synchronized (connections) {
            connection = connections.remove(key);
        }
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already gone
            }
        }
    }

    private static boolean isConnectionLost(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("08");
    }

    /**
     * The rows a plan says its statement touches: for a ModifyTable node (UPDATE, DELETE, MERGE) the
     * rows of the scan beneath it, which is what would be changed; otherwise the top node's rows.
     */
    static long rowsOf(JsonNode explain) {
        JsonNode plan = explain.path(0).path("Plan");
        if ("ModifyTable".equals(plan.path("Node Type").asText()) && plan.path("Plans").isArray()
                && !plan.path("Plans").isEmpty()) {
            return plan.path("Plans").path(0).path("Plan Rows").asLong(Long.MAX_VALUE);
        }
        return plan.path("Plan Rows").asLong(Long.MAX_VALUE);
    }

    /**
     * The statement with each {@code $n} replaced by its value as a string literal (untyped, so it
     * resolves as the parameter would), or NULL; empty when the statement cannot be read or names a
     * parameter it was not given.
     */
    static Optional<String> withParameters(String sql, List<String> values) {
        List<Token> tokens;
        try {
            tokens = SqlLexer.tokenize(sql);
        } catch (SqlLexException e) {
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder(sql.length() + 16 * values.size());
        int copied = 0;
        for (Token token : tokens) {
            if (token.type() != TokenType.PARAMETER) {
                continue;
            }
            int index;
            try {
                index = Integer.parseInt(token.text()) - 1;
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (index < 0 || index >= values.size()) {
                return Optional.empty();
            }
            String value = values.get(index);
            out.append(sql, copied, token.start());
            out.append(value == null ? "NULL" : "'" + value.replace("'", "''") + "'");
            copied = token.end();
        }
        out.append(sql, copied, sql.length());
        return Optional.of(out.toString());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        synchronized (connections) {
            for (Connection connection : connections.values()) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
            connections.clear();
        }
    }
}
