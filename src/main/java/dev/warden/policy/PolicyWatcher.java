package dev.warden.policy;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the policy when its file changes, and on SIGHUP. The directory is watched rather than the
 * file, because editors and Kubernetes ConfigMaps replace files by rename; any change in it
 * triggers a reload after {@code debounce} of quiet (an editor's save is several events), and a
 * reload of an unchanged file is a no-op.
 */
public final class PolicyWatcher implements AutoCloseable {

    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(200);

    private static final Logger log = LoggerFactory.getLogger(PolicyWatcher.class);

    private final PolicyHolder holder;
    private final WatchService watchService;
    private final Duration debounce;
    private final Thread thread;

    private PolicyWatcher(PolicyHolder holder, WatchService watchService, Duration debounce) {
        this.holder = holder;
        this.watchService = watchService;
        this.debounce = debounce;
        this.thread = new Thread(this::watch, "warden-policy-watcher");
        this.thread.setDaemon(true);
    }

    public static PolicyWatcher start(PolicyHolder holder, Duration debounce) throws IOException {
        requireNonNull(holder, "holder is null");
        requireNonNull(debounce, "debounce is null");
        Path directory = holder.file().toAbsolutePath().getParent();
        WatchService watchService = FileSystems.getDefault().newWatchService();
        try {
            directory.register(watchService, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException | RuntimeException e) {
            watchService.close();
            throw e;
        }
        PolicyWatcher watcher = new PolicyWatcher(holder, watchService, debounce);
        watcher.thread.start();
        return watcher;
    }

    /**
     * Reloads on SIGHUP, the Unix convention for "re-read your configuration". {@code sun.misc.Signal}
     * is JDK-internal and absent on some platforms (and HUP on Windows), so failure is logged and
     * skipped: the file watcher still works.
     *
     * @return whether the handler was installed
     */
    @SuppressWarnings("removal")
    public static boolean reloadOnHangup(PolicyHolder holder) {
        return reloadOnHangup(holder, () -> { });
    }

    /** @param alsoOnHangup what else a SIGHUP reloads (the identities of warden.yaml), after the policy */
    public static boolean reloadOnHangup(PolicyHolder holder, Runnable alsoOnHangup) {
        requireNonNull(holder, "holder is null");
        requireNonNull(alsoOnHangup, "alsoOnHangup is null");
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                log.info("SIGHUP: reloading policy {}", holder.file());
                holder.reload();
                alsoOnHangup.run();
            });
            return true;
        } catch (LinkageError | IllegalArgumentException | UnsupportedOperationException e) {
            log.warn("Cannot reload the policy on SIGHUP here ({}); it is still reloaded when the file changes", e.toString());
            return false;
        }
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watchService.take();
                drain(key);
                // Debounce: wait until the directory has been quiet for the whole period.
                WatchKey next;
                while ((next = watchService.poll(debounce.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                    drain(next);
                }
                holder.reload();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // close() was called
        } catch (RuntimeException e) {
            log.error("Policy watcher stopped; the policy is no longer reloaded on change", e);
        }
    }

    private static void drain(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    @Override
    public void close() throws IOException {
        watchService.close();
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
