package dev.warden.recording;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A live session's records as they are written: the stored ones first, then whatever the gateway
 * appends, polled every {@code interval}, until the session's SESSION_END (and the checkpoint that
 * seals it) has been read, or the store says the session ended and nothing more arrives.
 */
public final class FollowedRecords implements java.util.Iterator<ChainedRecord> {
    private static final int PAGE = 1000;

    /** Waits between polls; tests replace it. */
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final RecordSource source;
    private final String sessionId;
    private final Duration interval;
    private final Sleeper sleeper;
    private List<ChainedRecord> page = List.of();
    private int next;
    private long afterSeq;
    private boolean ended;

    public FollowedRecords(RecordSource source, String sessionId, Duration interval, Sleeper sleeper) {
        this.source = requireNonNull(source, "source is null");
        this.sessionId = requireNonNull(sessionId, "sessionId is null");
        this.interval = requireNonNull(interval, "interval is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
    }

    @Override
    public boolean hasNext() {
        while (next >= page.size()) {
            page = source.records(sessionId, afterSeq, PAGE);
            next = 0;
            if (!page.isEmpty()) {
                afterSeq = page.get(page.size() - 1).seq();
                return true;
            }
            if (ended || source.session(sessionId).flatMap(SessionInfo::endedAt).isPresent()) {
                // Once the end is known, one empty poll means nothing more will come.
                if (ended) {
                    return false;
                }
                ended = true;
                continue;
            }
            try {
                sleeper.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    @Override
    public ChainedRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ChainedRecord record = page.get(next++);
        if (record.kind() == RecordKind.SESSION_END) {
            ended = true;
        }
        return record;
    }
}
