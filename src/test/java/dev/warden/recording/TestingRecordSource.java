package dev.warden.recording;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An in-memory store: returns records exactly as given, ordered by seq as a database index would. */
public final class TestingRecordSource implements RecordSource {

    private final Map<String, SessionInfo> sessions = new LinkedHashMap<>();
    private final Map<String, List<ChainedRecord>> records = new LinkedHashMap<>();
    private int pagesRead;

    public TestingRecordSource add(SessionInfo session, List<ChainedRecord> sessionRecords) {
        sessions.put(session.sessionId(), session);
        List<ChainedRecord> sorted = new ArrayList<>(sessionRecords);
        sorted.sort(Comparator.comparingLong(ChainedRecord::seq));
        records.put(session.sessionId(), sorted);
        return this;
    }

    @Override
    public List<SessionInfo> sessions(SessionFilter filter) {
        return sessions.values().stream()
                .filter(filter::matches)
                .sorted(Comparator.comparing(SessionInfo::startedAt).reversed())
                .limit(filter.limit())
                .toList();
    }

    @Override
    public Optional<SessionInfo> session(String sessionId) {
        return Optional.ofNullable(sessions.get(sessionId));
    }

    @Override
    public List<ChainedRecord> records(String sessionId, long afterSeq, int limit) {
        pagesRead++;
        return records.getOrDefault(sessionId, List.of()).stream()
                .filter(record -> record.seq() > afterSeq)
                .limit(limit)
                .toList();
    }

    public int pagesRead() {
        return pagesRead;
    }
}
