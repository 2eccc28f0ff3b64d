package dev.warden.cli;

import static java.util.Objects.requireNonNull;

import dev.warden.recording.RecordSource;
import java.io.PrintWriter;
import java.util.function.Function;

/**
 * Opens the record store a {@code --store URL} names, for the commands that read recordings
 * (audit verify, sessions, replay, export). The store module installs the real factory; tests install
 * an in-memory one.
 */
final class RecordSources {

    /** Exit code when the store cannot be opened or read: not a verdict on the records. */
    static final int STORE_UNAVAILABLE = 4;

    private static volatile Function<String, RecordSource> factory = url -> {
        throw new IllegalArgumentException("no record store support for " + url);
    };

    private RecordSources() {}

    /** Installs how {@code --store} URLs are opened; returns the one it replaces. */
    static Function<String, RecordSource> use(Function<String, RecordSource> opener) {
        Function<String, RecordSource> previous = factory;
        factory = requireNonNull(opener, "opener is null");
        return previous;
    }

    static RecordSource open(String url) {
        return factory.apply(url);
    }

    static int storeFailed(PrintWriter err, String url, RuntimeException e) {
        err.println("cannot read the record store " + url + ": " + e.getMessage());
        err.flush();
        return STORE_UNAVAILABLE;
    }
}
