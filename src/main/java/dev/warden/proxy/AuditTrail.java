package dev.warden.proxy;

import dev.warden.config.AuditConfig;
import dev.warden.config.SecretReference;
import dev.warden.config.SecretUnavailableException;
import dev.warden.recording.CheckpointSigner;
import dev.warden.recording.SessionLog;
import dev.warden.store.RecordStore;
import dev.warden.store.RecordWriter;
import dev.warden.store.StoreException;
import dev.warden.store.StoreLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's side of recording: the store, its single batching writer, the checkpoint signer and
 * retention pruning, built from {@code data_dir}/{@code store}/{@code recording}.
 */
public final class AuditTrail implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private final RecordStore store;
    private final RecordWriter writer;
    private final RecordingSetup recording;
    private final ScheduledExecutorService pruner;

    private AuditTrail(RecordStore store, RecordWriter writer, RecordingSetup recording, ScheduledExecutorService pruner) {
        this.store = store;
        this.writer = writer;
        this.recording = recording;
        this.pruner = pruner;
    }

    public static AuditTrail open(AuditConfig config) throws StoreException {
        CheckpointSigner signer = null;
        try {
            if (config.checkpointKey().isPresent()) {
                String key = config.checkpointKey().get().resolve();
                signer = new CheckpointSigner(keyId(config.checkpointKey().get()), key.getBytes(StandardCharsets.UTF_8));
            }
        } catch (SecretUnavailableException e) {
            throw new IllegalStateException("recording: " + e.getMessage(), e);
        }
        StoreLocation location = storeLocation(config);
        RecordStore store = RecordStore.open(location);
        RecordWriter writer = RecordWriter.start(store);
        SessionLog.CheckpointPolicy checkpoints = SessionLog.CheckpointPolicy.NONE;
        if (signer != null) {
            CheckpointSigner sign = signer;
            int every = config.checkpointEvery();
            checkpoints = new SessionLog.CheckpointPolicy() {
                @Override
                public int every() {
                    return every;
                }

                @Override
                public String body(String sessionId, long seq, String hash) {
                    return sign.checkpointBody(sessionId, seq, hash);
                }
            };
        } else {
            log.warn("recording: no checkpoint_key configured: session chains are hashed but not signed");
        }
        ScheduledExecutorService pruner = null;
        if (config.retention().isPresent()) {
            Duration retention = config.retention().get();
            pruner = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "warden-retention");
                thread.setDaemon(true);
                return thread;
            });
            pruner.scheduleWithFixedDelay(() -> prune(store, retention), 1, PRUNE_EVERY.toSeconds(), TimeUnit.SECONDS);
        }
        log.info("recording to {}", location);
        RecordingSetup recording = RecordingSetup.of(writer::submit, config.resultRows(), config.resultBytes(), checkpoints);
        return new AuditTrail(store, writer, recording, pruner);
    }

    /**
     * Where {@code data_dir}/{@code store} put the store, its password resolved; the data directory is
     * created if missing. Other tables of the same store (service tokens) are opened through it too.
     */
    public static StoreLocation storeLocation(AuditConfig config) {
        String password = null;
        try {
            Files.createDirectories(config.dataDirectory());
            if (config.storePassword().isPresent()) {
                password = config.storePassword().get().resolve();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + config.dataDirectory(), e);
        } catch (SecretUnavailableException e) {
            throw new IllegalStateException("recording: " + e.getMessage(), e);
        }
        return StoreLocation.parse(config.storeUrl(), config.dataDirectory(), config.storeUser().orElse(null), password);
    }

    /**
     * The key id checkpoints name: the reference itself ({@code env:NAME}, {@code file:/path}) made fit for a
     * key id, so it says which key to verify with without revealing it. The reference's ':' and '/' are not
     * allowed in an id; a long path keeps its end, where the file name is.
     */
    static String keyId(SecretReference reference) {
        String id = reference.toString().replaceAll("[^A-Za-z0-9_.-]+", "-");
        return id.length() <= 64 ? id : id.substring(id.length() - 64);
    }

    private static void prune(RecordStore store, Duration retention) {
        Instant cutoff = Instant.now().minus(retention);
        try {
            long micros = cutoff.getEpochSecond() * 1_000_000L + cutoff.getNano() / 1_000;
            int pruned = store.pruneEndedBefore(micros);
            if (pruned > 0) {
                log.info("retention: pruned {} sessions that ended before {}", pruned, cutoff);
            }
        } catch (StoreException e) {
            log.warn("retention: pruning failed: {}", e.getMessage());
        }
    }

    public RecordingSetup recording() {
        return recording;
    }

    public RecordStore store() {
        return store;
    }

    public RecordWriter writer() {
        return writer;
    }

    @Override
    public void close() {
        if (pruner != null) {
            pruner.shutdownNow();
        }
        writer.close();
        store.close();
    }
}
