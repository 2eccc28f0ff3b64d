package dev.warden.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestFollowedRecords {

    /** A session being written while it is followed: each poll's wait lets the "gateway" add a record. */
    private static final class LiveSource implements RecordSource {
        final List<ChainedRecord> stored = new ArrayList<>();
        final List<ChainedRecord> toCome = new ArrayList<>();
        boolean ended;
        int polls;

        @Override
        public List<SessionInfo> sessions(SessionFilter filter) {
            return List.of(info());
        }

        @Override
        public Optional<SessionInfo> session(String sessionId) {
            return Optional.of(info());
        }

        @Override
        public List<ChainedRecord> records(String sessionId, long afterSeq, int limit) {
            return stored.stream().filter(record -> record.seq() > afterSeq).limit(limit).toList();
        }

        void writeOne() {
            polls++;
            if (!toCome.isEmpty()) {
                stored.add(toCome.remove(0));
            }
        }

        private SessionInfo info() {
            return new SessionInfo("s", "agent", "app", "", "", Instant.EPOCH,
                    ended ? Optional.of(Instant.EPOCH) : Optional.empty(), Optional.empty());
        }
    }

    private static List<ChainedRecord> chain(RecordKind... kinds) {
        List<ChainedRecord> records = new ArrayList<>();
        String previous = RecordChain.GENESIS;
        for (int i = 0; i < kinds.length; i++) {
            ChainedRecord record = ChainedRecord.link("s", i + 1, i, kinds[i], "{}", previous);
            records.add(record);
            previous = record.hash();
        }
        return records;
    }

    @Test
    void followsNewRecordsUntilTheSessionEnds() {
        List<ChainedRecord> all = chain(RecordKind.SESSION_START, RecordKind.STATEMENT, RecordKind.COMPLETION,
                RecordKind.STATEMENT, RecordKind.SESSION_END);
        LiveSource source = new LiveSource();
        source.stored.addAll(all.subList(0, 2));
        source.toCome.addAll(all.subList(2, 5));

        List<Long> seen = new ArrayList<>();
        new FollowedRecords(source, "s", Duration.ofMillis(250), duration -> source.writeOne())
                .forEachRemaining(record -> seen.add(record.seq()));

        assertThat(seen).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(source.polls).isGreaterThanOrEqualTo(3);
    }

    @Test
    void stopsWhenTheStoreSaysTheSessionEndedAndNothingMoreComes() {
        LiveSource source = new LiveSource();
        source.stored.addAll(chain(RecordKind.SESSION_START, RecordKind.STATEMENT));
        source.ended = true; // e.g. the gateway was killed after marking it, or a summary closed it

        List<Long> seen = new ArrayList<>();
        new FollowedRecords(source, "s", Duration.ofMillis(250), duration -> source.writeOne())
                .forEachRemaining(record -> seen.add(record.seq()));

        assertThat(seen).containsExactly(1L, 2L);
        assertThat(source.polls).isZero();
    }
}
