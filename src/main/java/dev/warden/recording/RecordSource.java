package dev.warden.recording;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Read access to recorded sessions, all that verification, replay and export need. The store
 * implements it; tests use an in-memory one. Failures to read are thrown as unchecked exceptions
 * whose message says what could not be read (never a credential).
 */
public interface RecordSource extends AutoCloseable {

    /** Sessions matching the filter, newest start first, at most {@code filter.limit()}. */
    List<SessionInfo> sessions(SessionFilter filter);

    Optional<SessionInfo> session(String sessionId);

    /**
     * Up to {@code limit} records of a session with {@code seq > afterSeq}, in ascending seq order,
     * exactly as stored (no check, no repair: the verifier must see what is there).
     */
    List<ChainedRecord> records(String sessionId, long afterSeq, int limit);

    /** Every record of a session in seq order, read a page at a time so that memory stays bounded. */
    default Iterator<ChainedRecord> records(String sessionId) {
        return new Iterator<>() {
            private static final int PAGE = 1000;
            private List<ChainedRecord> page = List.of();
            private int next;
            private long afterSeq;
            private boolean exhausted;

            @Override
            public boolean hasNext() {
                if (next < page.size()) {
                    return true;
                }
                if (exhausted) {
                    return false;
                }
                page = records(sessionId, afterSeq, PAGE);
                next = 0;
                exhausted = page.size() < PAGE;
                if (!page.isEmpty()) {
                    afterSeq = page.get(page.size() - 1).seq();
                }
                return !page.isEmpty();
            }

            @Override
            public ChainedRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.get(next++);
            }
        };
    }

    @Override
    default void close() {}
}
