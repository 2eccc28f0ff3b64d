package dev.warden.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.recording.SessionFilter;
import dev.warden.recording.SessionInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store as the audit commands read it: every session, however many, a page at a time. */
class StoreRecordSourceTest {
    @TempDir
    Path directory;

    @Test
    void listsEverySessionAcrossPagesNewestFirstEvenWhenStartsCoincide() throws Exception {
        try (RecordStore store = RecordStore.open(new StoreLocation.Sqlite(directory.resolve("warden.db")))) {
            List<String> newestFirst = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                // Every third session shares its start with the one before it: ties at page edges.
                long start = 1_000_000L + (i - i / 3) * 1_000L;
                String id = String.format("s-%02d", i);
                store.append(List.of(new TestingSession(id, start).start("agent", "app")));
                newestFirst.add(0, id);
            }
            StoreRecordSource source = new StoreRecordSource(store, "test store", 10);

            List<SessionInfo> all = source.sessions(SessionFilter.all());
            assertThat(all).extracting(SessionInfo::sessionId).hasSize(25).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(newestFirst);
            assertThat(all).extracting(SessionInfo::startedAt).isSortedAccordingTo((a, b) -> b.compareTo(a));

            SessionFilter twelve = new SessionFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), 12);
            assertThat(source.sessions(twelve)).hasSize(12);
        }
    }
}
