package dev.warden.catalog;

import static java.util.Objects.requireNonNull;

import dev.warden.config.TargetConfig;
import dev.warden.config.UpstreamCredential;
import dev.warden.config.UpstreamTlsMode;
import dev.warden.config.WardenConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog of every target, loaded over a separate connection with the target's read-only
 * credential, refreshed on an interval and soon after DDL seen through the gateway. Loads run on one
 * dedicated thread (JDBC blocks), never on an event loop; sessions read the latest snapshot.
 */
public final class TargetCatalogs implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TargetCatalogs.class);
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(60);

    private final Map<String, TargetConfig> targets;
    private final Duration connectTimeout;
    private final ScheduledExecutorService loader;
    private final Map<String, AtomicReference<CompletableFuture<CatalogSnapshot>>> latest = new ConcurrentHashMap<>();
    private final Map<String, Boolean> refreshQueued = new ConcurrentHashMap<>();

    public TargetCatalogs(WardenConfig config, Duration refreshInterval) {
        this.targets = Map.copyOf(requireNonNull(config, "config is null").targets());
        this.connectTimeout = config.limits().connectTimeout();
        this.loader = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "warden-catalog");
            thread.setDaemon(true);
            return thread;
        });
        for (String target : targets.keySet()) {
            latest.put(target, new AtomicReference<>(new CompletableFuture<>()));
            loader.execute(() -> load(target));
            long millis = refreshInterval.toMillis();
            loader.scheduleWithFixedDelay(() -> load(target), millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Completes with the target's catalog once one has been loaded (at once if it has). */
    public CompletableFuture<CatalogSnapshot> ready(String target) {
        AtomicReference<CompletableFuture<CatalogSnapshot>> reference = latest.get(target);
        if (reference == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("unknown target " + target));
        }
        return reference.get();
    }

    /** The newest loaded snapshot, or empty before the first load finished. */
    public Optional<CatalogSnapshot> current(String target) {
        CompletableFuture<CatalogSnapshot> future = ready(target);
        return future.isDone() && !future.isCompletedExceptionally() ? Optional.of(future.join()) : Optional.empty();
    }

    /** Asks for a reload soon, e.g. after DDL ran through the gateway; repeated calls coalesce. */
    public void invalidate(String target) {
        if (targets.containsKey(target) && refreshQueued.putIfAbsent(target, Boolean.TRUE) == null) {
            loader.schedule(() -> {
                refreshQueued.remove(target);
                load(target);
            }, 100, TimeUnit.MILLISECONDS);
        }
    }

    private void load(String target) {
        TargetConfig config = targets.get(target);
        AtomicReference<CompletableFuture<CatalogSnapshot>> reference = latest.get(target);
        try (Connection connection = connect(config)) {
            CatalogSnapshot snapshot = CatalogLoader.load(connection);
            CompletableFuture<CatalogSnapshot> current = reference.get();
            if (!current.complete(snapshot)) {
                reference.set(CompletableFuture.completedFuture(snapshot));
            }
            log.debug("target {}: catalog loaded ({} relations)", target, snapshot.relationCount());
        } catch (Exception e) {
            // Keep the previous snapshot: a stale catalog is better than none, and the failure will
            // show on the data path too if the database is really gone.
            log.warn("target {}: could not load the catalog: {}", target, e.getMessage());
            CompletableFuture<CatalogSnapshot> current = reference.get();
            if (!current.isDone()) {
                current.completeExceptionally(e);
                reference.set(new CompletableFuture<>());
                loader.schedule(() -> load(target), 2, TimeUnit.SECONDS);
            }
        }
    }

    private Connection connect(TargetConfig target) throws Exception {
        return TargetConnections.open(target, target.readOnly(), "warden-catalog", connectTimeout, 60);
    }

    @Override
    public void close() {
        loader.shutdownNow();
    }
}
