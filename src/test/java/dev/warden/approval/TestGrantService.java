package dev.warden.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.store.RecordStore;
import dev.warden.store.StoreLocation;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Grants against a real SQLite store: durable before they count, and still there after a restart. */
class TestGrantService {
    @TempDir
    Path directory;

    private RecordStore open() throws Exception {
        return RecordStore.open(new StoreLocation.Sqlite(directory.resolve("store.db")));
    }

    private static GrantService.Ask forAgent(Duration duration) {
        return new GrantService.Ask(Optional.of("agent"), Optional.empty(), "app", "approve-writes", duration, "incident 7");
    }

    @Test
    void grantsSurviveARestartAndRevocationsToo() throws Exception {
        String kept;
        String revoked;
        try (RecordStore store = open()) {
            GrantService grants = new GrantService(store, Clock.systemUTC());
            kept = grants.create(forAgent(Duration.ofHours(1)), "dba", Optional.empty()).id();
            revoked = grants.create(new GrantService.Ask(Optional.empty(), Optional.of("oncall"), "app", "approve-writes",
                    Duration.ofHours(1), "pager"), "dba", Optional.of("apr_x")).id();
            grants.revoke(revoked, "root");
        }
        try (RecordStore store = open()) {
            GrantService grants = new GrantService(store, Clock.systemUTC());
            assertThat(grants.covering("agent", Set.of(), "app", "approve-writes")).map(Grant::id).contains(kept);
            assertThat(grants.covering("bob", Set.of("oncall"), "app", "approve-writes")).isEmpty();
            assertThat(grants.covering("agent", Set.of(), "other", "approve-writes")).isEmpty();
            assertThat(grants.covering("agent", Set.of(), "app", "another-rule")).isEmpty();
            Grant wasRevoked = grants.list(true).stream().filter(g -> g.id().equals(revoked)).findFirst().orElseThrow();
            assertThat(wasRevoked.revokedBy()).contains("root");
            assertThat(wasRevoked.approvalId()).contains("apr_x");
            assertThat(grants.list(false)).extracting(Grant::id).containsExactly(kept);
        }
    }

    @Test
    void expiredGrantsCoverNothing() throws Exception {
        try (RecordStore store = open()) {
            Instant later = Instant.now().plus(Duration.ofHours(2));
            new GrantService(store, Clock.systemUTC()).create(forAgent(Duration.ofHours(1)), "dba", Optional.empty());
            GrantService twoHoursOn = new GrantService(store, Clock.fixed(later, ZoneOffset.UTC));
            assertThat(twoHoursOn.covering("agent", Set.of(), "app", "approve-writes")).isEmpty();
        }
    }

    @Test
    void badGrantsAreRefused() throws Exception {
        try (RecordStore store = open()) {
            GrantService grants = new GrantService(store, Clock.systemUTC());
            assertThatThrownBy(() -> grants.create(forAgent(Duration.ofDays(8)), "dba", Optional.empty()))
                    .hasMessageContaining("at most 7 days");
            assertThatThrownBy(() -> grants.create(forAgent(Duration.ZERO), "dba", Optional.empty()))
                    .hasMessageContaining("more than zero");
            assertThatThrownBy(() -> grants.create(new GrantService.Ask(Optional.of("a"), Optional.of("b"), "app", "r",
                    Duration.ofMinutes(1), "x"), "dba", Optional.empty())).hasMessageContaining("exactly one");
            assertThatThrownBy(() -> grants.create(new GrantService.Ask(Optional.of("a"), Optional.empty(), "app", "r",
                    Duration.ofMinutes(1), " "), "dba", Optional.empty())).hasMessageContaining("needs a reason");
            assertThatThrownBy(() -> grants.revoke("grt_none", "root")).hasMessageContaining("no grant");
        }
    }

    @Test
    void theInSessionRequestIsReadFromTheLeadingCommentOnly() {
        assertThat(RequestedGrant.in("/* warden:request-grant 30m fix the ledger */ UPDATE t SET a = 1 WHERE id = 2"))
                .contains(new RequestedGrant(Duration.ofMinutes(30), "fix the ledger"));
        assertThat(RequestedGrant.in("  /*warden:request-grant 2h*/DELETE FROM t WHERE id = 1"))
                .contains(new RequestedGrant(Duration.ofHours(2), "asked for in session"));
        assertThat(RequestedGrant.in("UPDATE t SET note = '/* warden:request-grant 30m x */' WHERE id = 1")).isEmpty();
        assertThat(RequestedGrant.in("/* warden:request-grant forever */ UPDATE t SET a = 1 WHERE id = 2")).isEmpty();
        assertThat(RequestedGrant.in("/* warden:request-grant 0s */ UPDATE t SET a = 1 WHERE id = 2")).isEmpty();
        assertThat(RequestedGrant.in("/* warden:request-grant 30m " + "x".repeat(100_000))).isEmpty();
    }
}
