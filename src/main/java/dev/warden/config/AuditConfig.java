package dev.warden.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where and how sessions are recorded.
 *
 * @param dataDirectory where the embedded store lives (and other state later)
 * @param storeUrl {@code sqlite:<path>} (relative to the data directory) or {@code postgresql://host:port/db}
 * @param storeUser for PostgreSQL
 * @param storePassword for PostgreSQL, by reference only
 * @param resultRows result rows kept per statement (beyond: counted, marked truncated)
 * @param resultBytes result bytes kept per statement
 * @param checkpointEvery records between signed checkpoints
 * @param checkpointKey the HMAC key for checkpoints, by reference; without it chains are hashed but unsigned
 * @param retention sessions ended longer ago than this are pruned; empty keeps everything
 */
public record AuditConfig(
        Path dataDirectory,
        String storeUrl,
        Optional<String> storeUser,
        Optional<SecretReference> storePassword,
        int resultRows,
        int resultBytes,
        int checkpointEvery,
        Optional<SecretReference> checkpointKey,
        Optional<Duration> retention) {

    public static final String DEFAULT_STORE_URL = "sqlite:warden.db";
    public static final int DEFAULT_RESULT_ROWS = 100;
    public static final int DEFAULT_RESULT_BYTES = 64 * 1024;
    public static final int DEFAULT_CHECKPOINT_EVERY = 100;

    public AuditConfig {
        requireNonNull(dataDirectory, "dataDirectory is null");
        requireNonNull(storeUrl, "storeUrl is null");
        requireNonNull(storeUser, "storeUser is null");
        requireNonNull(storePassword, "storePassword is null");
        requireNonNull(checkpointKey, "checkpointKey is null");
        requireNonNull(retention, "retention is null");
    }

    /** Defaults: an embedded SQLite store in {@code dataDirectory}. */
    public static AuditConfig defaults(Path dataDirectory) {
        return new AuditConfig(dataDirectory, DEFAULT_STORE_URL, Optional.empty(), Optional.empty(), DEFAULT_RESULT_ROWS,
                DEFAULT_RESULT_BYTES, DEFAULT_CHECKPOINT_EVERY, Optional.empty(), Optional.empty());
    }
}
