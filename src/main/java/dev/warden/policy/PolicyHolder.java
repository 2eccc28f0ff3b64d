package dev.warden.policy;

import static java.util.Objects.requireNonNull;

import dev.warden.config.ConfigException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active policy of a running gateway. Sessions read {@link #engine()} once per statement; a
 * reload builds and validates the new policy completely before one atomic swap, so a statement is
 * decided under exactly one policy version. An invalid file keeps the running policy.
 */
public final class PolicyHolder {

    private static final Logger log = LoggerFactory.getLogger(PolicyHolder.class);

    private final Path file;
    private final Clock clock;
    private final AtomicReference<PolicyEngine> engine;
    private final AtomicReference<ReloadStatus> lastReload;

    /**
     * The outcome of the latest load or reload, for the control plane.
     *
     * @param activeVersion the version in force after it
     * @param error the problems of the rejected file, one per line as {@code file:line:column: field: message}
     */
    public record ReloadStatus(Instant at, Result result, String activeVersion, Optional<String> error) {
        public enum Result { LOADED, RELOADED, UNCHANGED, REJECTED }
    }

    private PolicyHolder(Path file, Clock clock, PolicyEngine initial) {
        this.file = file;
        this.clock = clock;
        this.engine = new AtomicReference<>(initial);
        this.lastReload = new AtomicReference<>(new ReloadStatus(clock.instant(), ReloadStatus.Result.LOADED,
                initial.policy().version(), Optional.empty()));
    }

    /** Loads the policy at start-up; an invalid file is an error here, as the gateway has nothing to fall back on. */
    public static PolicyHolder load(Path file) throws ConfigException {
        return load(file, Clock.systemUTC());
    }

    static PolicyHolder load(Path file, Clock clock) throws ConfigException {
        requireNonNull(file, "file is null");
        requireNonNull(clock, "clock is null");
        return new PolicyHolder(file, clock, new PolicyEngine(PolicyLoader.load(file)));
    }

    public Path file() {
        return file;
    }

    public PolicyEngine engine() {
        return engine.get();
    }

    public Policy policy() {
        return engine.get().policy();
    }

    public ReloadStatus lastReload() {
        return lastReload.get();
    }

    /**
     * Reads the file again and swaps it in if valid and changed. Never throws for a bad file: the
     * running policy stays and the problems are logged and recorded.
     */
    public synchronized ReloadStatus reload() {
        PolicyEngine current = engine.get();
        ReloadStatus status;
        try {
            Policy loaded = PolicyLoader.load(file);
            if (loaded.version().equals(current.policy().version())) {
                status = new ReloadStatus(clock.instant(), ReloadStatus.Result.UNCHANGED, loaded.version(), Optional.empty());
            } else {
                engine.set(new PolicyEngine(loaded));
                status = new ReloadStatus(clock.instant(), ReloadStatus.Result.RELOADED, loaded.version(), Optional.empty());
                log.info("Policy {} reloaded: version {} replaces {}", file, loaded.shortVersion(), current.policy().shortVersion());
            }
        } catch (ConfigException e) {
            status = new ReloadStatus(clock.instant(), ReloadStatus.Result.REJECTED, current.policy().version(),
                    Optional.of(e.getMessage()));
            log.error("Policy {} not reloaded, keeping version {}:\n{}", file, current.policy().shortVersion(), e.getMessage());
        }
        lastReload.set(status);
        return status;
    }
}
