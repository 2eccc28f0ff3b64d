package dev.warden.store;

import static java.util.Objects.requireNonNull;

import dev.warden.recording.ChainedRecord;
import dev.warden.recording.RecordSource;
import dev.warden.recording.SessionFilter;
import dev.warden.recording.SessionInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A store as the audit, replay and export commands read it. Closing it closes the store. */
public final class StoreRecordSource implements RecordSource {
    private static final int MAX_PAGE = 10_000;

    private final RecordStore store;
    private final String description;
    private final int pageSize;

    public StoreRecordSource(RecordStore store, String description) {
        this(store, description, MAX_PAGE);
    }

    /** @param pageSize sessions asked of the store at a time (at most its 10,000) */
    StoreRecordSource(RecordStore store, String description, int pageSize) {
        this.store = requireNonNull(store, "store is null");
        this.description = requireNonNull(description, "description is null");
        this.pageSize = Math.min(pageSize, MAX_PAGE);
    }

    /** Opens the store at {@code spec} ({@code sqlite:FILE} relative to the working directory, or postgresql://...). */
    public static StoreRecordSource open(String spec, String user, String password) {
        StoreLocation location = StoreLocation.parse(spec, java.nio.file.Path.of("."), user, password);
        try {
            return new StoreRecordSource(RecordStore.open(location), location.toString());
        } catch (StoreException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public List<SessionInfo> sessions(SessionFilter filter) {
        SessionQuery query = SessionQuery.all().withLimit(Math.min(filter.limit(), pageSize));
        if (filter.identity().isPresent()) {
            query = query.withIdentity(filter.identity().get());
        }
        if (filter.target().isPresent()) {
            query = query.withTarget(filter.target().get());
        }
        if (filter.since().isPresent()) {
            query = query.withSince(filter.since().get());
        }
        if (filter.until().isPresent()) {
            query = query.withUntil(filter.until().get());
        }
        if (filter.status().isPresent()) {
            query = query.withStatus(filter.status().get() == SessionFilter.Status.ACTIVE ? SessionStatus.ACTIVE
                    : SessionStatus.ENDED);
        }
        try {
            return page(query, filter.limit());
        } catch (StoreException e) {
            throw new IllegalStateException("cannot list sessions in " + description + ": " + e.getMessage(), e);
        }
    }

    /**
     * All matching sessions up to {@code limit}, newest first, a store page (10,000) at a time: each
     * next page asks for sessions started before the oldest one seen (plus one microsecond, so that
     * sessions sharing that start are not lost; those already seen are skipped).
     */
    private List<SessionInfo> page(SessionQuery first, int limit) throws StoreException {
        List<SessionInfo> sessions = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        SessionQuery query = first;
        while (sessions.size() < limit) {
            List<SessionSummary> page = store.sessions(query);
            int added = 0;
            long oldest = Long.MAX_VALUE;
            for (SessionSummary summary : page) {
                oldest = Math.min(oldest, summary.startedMicros());
                if (seen.add(summary.id()) && sessions.size() < limit) {
                    sessions.add(info(summary));
                    added++;
                }
            }
            if (page.size() < query.limit() || added == 0) {
                break;
            }
            long until = oldest + 1;
            if (first.untilMicros().isPresent()) {
                until = Math.min(until, first.untilMicros().getAsLong());
            }
            query = query.withUntil(until);
        }
        return sessions;
    }

    @Override
    public Optional<SessionInfo> session(String sessionId) {
        try {
            return store.session(sessionId).map(StoreRecordSource::info);
        } catch (StoreException e) {
            throw new IllegalStateException("cannot read session " + sessionId + " in " + description + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<ChainedRecord> records(String sessionId, long afterSeq, int limit) {
        try {
            return store.records(sessionId, afterSeq, Math.min(limit, MAX_PAGE));
        } catch (StoreException e) {
            throw new IllegalStateException("cannot read records of " + sessionId + " in " + description + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        store.close();
    }

    private static SessionInfo info(SessionSummary summary) {
        return new SessionInfo(summary.id(), summary.identity(), summary.target(), summary.clientAddress().orElse(""),
                summary.applicationName().orElse(""), instant(summary.startedMicros()),
                summary.endedMicros().isPresent() ? Optional.of(instant(summary.endedMicros().getAsLong())) : Optional.empty(),
                summary.endReason());
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
