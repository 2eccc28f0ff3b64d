package dev.warden.cli;

import static java.util.Objects.requireNonNull;

import dev.warden.recording.RecordSource;
import dev.warden.recording.SessionFilter;
import dev.warden.recording.SessionInfo;
import dev.warden.recording.TerminalText;
import java.util.List;
import java.util.Optional;
import dev.warden.store.StoreRecordSource;
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

    /**
     * By default {@code --store} is a store location as in warden.yaml ({@code sqlite:FILE}, relative
     * to the working directory, or {@code postgresql://host:port/db}); a PostgreSQL login comes from
     * WARDEN_STORE_USER and WARDEN_STORE_PASSWORD, never from the command line.
     */
    private static volatile Function<String, RecordSource> factory = url ->
            StoreRecordSource.open(url, System.getenv("WARDEN_STORE_USER"), System.getenv("WARDEN_STORE_PASSWORD"));

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

    /**
     * The one session asked for, or every session (newest first) when {@code sessionId} is null;
     * empty, after saying so on {@code err}, when the asked-for session does not exist.
     */
    static Optional<List<SessionInfo>> select(RecordSource source, String sessionId, String url, PrintWriter err) {
        if (sessionId == null) {
            return Optional.of(source.sessions(SessionFilter.all()));
        }
        Optional<SessionInfo> session = source.session(sessionId);
        if (session.isEmpty()) {
            err.println("no session " + TerminalText.line(sessionId) + " in " + url);
            err.flush();
            return Optional.empty();
        }
        return Optional.of(List.of(session.get()));
    }

    static int storeFailed(PrintWriter err, String url, RuntimeException e) {
        err.println("cannot read the record store " + url + ": " + e.getMessage());
        err.flush();
        return STORE_UNAVAILABLE;
    }
}
