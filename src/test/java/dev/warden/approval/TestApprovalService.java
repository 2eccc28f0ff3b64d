package dev.warden.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.policy.ApprovalRequirement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TestApprovalService {
    private final List<String> notified = new ArrayList<>();
    private final ApprovalService service = new ApprovalService(Clock.systemUTC(), 3, new ApprovalNotifier() {
        @Override
        public void requested(ApprovalSnapshot request) {
            notified.add("requested " + request.request().id());
        }

        @Override
        public void decided(ApprovalSnapshot request) {
            notified.add(request.status().word() + " " + request.request().id());
        }
    });

    private static final Approver ALICE = new Approver("alice", Set.of("dbas"), false);
    private static final Approver BOB = new Approver("bob", Set.of("dbas"), false);
    private static final Approver MALLORY = new Approver("mallory", Set.of("interns"), true);

    @AfterEach
    void close() {
        service.close();
    }

    private static ApprovalDraft draft(String requester, ApprovalRequirement requirement) {
        return new ApprovalDraft("session-1", requester, Set.of("agents"), "app", "DELETE FROM t WHERE id = $1",
                List.of("7"), "approve-deletes", "Deletes need approval.", requirement, "v1", Optional.empty(), Optional.empty());
    }

    private static ApprovalRequirement dbas(int count, Duration timeout) {
        return new ApprovalRequirement(List.of(), List.of("dbas"), count, timeout);
    }

    @Test
    void oneEligibleApprovalReleasesTheStatementOnce() throws Exception {
        PendingApproval pending = service.open(draft("agent", dbas(1, Duration.ofMinutes(1))));
        String id = pending.request().id();
        assertThat(id).matches("apr_[a-z2-9]{12}");
        assertThat(pending.outcome()).isNotDone();
        ApprovalSnapshot decided = service.approve(id, ALICE, "ok", null);
        assertThat(decided.status()).isEqualTo(ApprovalStatus.APPROVED);
        ApprovalOutcome outcome = pending.outcome().get(1, TimeUnit.SECONDS);
        assertThat(outcome.approved()).isTrue();
        assertThat(outcome.actors()).isEqualTo("alice");
        assertThat(service.pending()).isEmpty();
        assertThatThrownBy(() -> service.approve(id, BOB, "me too", null)).isInstanceOfSatisfying(ApprovalException.class,
                e -> assertThat(e.problem()).isEqualTo(ApprovalException.Problem.CONFLICT));
        assertThat(notified).containsExactly("requested " + id, "approved " + id);
    }

    @Test
    void twoOfManyNeedsTwoDistinctApprovers() throws Exception {
        PendingApproval pending = service.open(draft("agent", dbas(2, Duration.ofMinutes(1))));
        String id = pending.request().id();
        assertThat(service.approve(id, ALICE, "", null).approvalsMissing()).isEqualTo(1);
        assertThatThrownBy(() -> service.approve(id, ALICE, "again", null)).hasMessageContaining("already decided");
        assertThat(pending.outcome()).isNotDone();
        service.approve(id, BOB, "", null);
        assertThat(pending.outcome().get(1, TimeUnit.SECONDS).actors()).isEqualTo("alice, bob");
    }

    @Test
    void oneDenialDecides() throws Exception {
        PendingApproval pending = service.open(draft("agent", dbas(2, Duration.ofMinutes(1))));
        service.approve(pending.request().id(), ALICE, "", null);
        service.deny(pending.request().id(), BOB, "no");
        ApprovalOutcome outcome = pending.outcome().get(1, TimeUnit.SECONDS);
        assertThat(outcome.status()).isEqualTo(ApprovalStatus.DENIED);
        assertThat(outcome.actors()).isEqualTo("bob");
        assertThat(outcome.reason()).isEqualTo("no");
    }

    @Test
    void onlyNamedApproversAndNeverTheRequester() throws Exception {
        String id = service.open(draft("alice", dbas(1, Duration.ofMinutes(1)))).request().id();
        assertThatThrownBy(() -> service.approve(id, ALICE, "", null)).isInstanceOfSatisfying(ApprovalException.class, e -> {
            assertThat(e.problem()).isEqualTo(ApprovalException.Problem.FORBIDDEN);
            assertThat(e.getMessage()).contains("another approver");
        });
        // The approver role does not override a rule that names its approvers.
        assertThatThrownBy(() -> service.deny(id, MALLORY, "no")).hasMessageContaining("is not one of them");
        ApprovalRequest request = service.find(id).orElseThrow().request();
        assertThat(ApprovalService.whyMayNotDecide(request, BOB)).isEmpty();
        assertThat(ApprovalService.whyMayNotDecide(request, MALLORY)).hasValueSatisfying(
                why -> assertThat(why).contains("is not one of them"));
        assertThat(ApprovalService.whyMayNotDecide(request, ALICE)).hasValueSatisfying(
                why -> assertThat(why).contains("you asked for this statement yourself"));
    }

    @Test
    void aRuleWithoutNamedApproversTakesTheApproverRole() throws Exception {
        String id = service.open(draft("agent", ApprovalRequirement.ANY_APPROVER)).request().id();
        assertThatThrownBy(() -> service.approve(id, ALICE, "", null)).hasMessageContaining("approver role");
        assertThat(service.approve(id, MALLORY, "", null).status()).isEqualTo(ApprovalStatus.APPROVED);
    }

    @Test
    void anUndecidedRequestExpires() throws Exception {
        PendingApproval pending = service.open(draft("agent", dbas(1, Duration.ofMillis(100))));
        ApprovalOutcome outcome = pending.outcome().get(5, TimeUnit.SECONDS);
        assertThat(outcome.status()).isEqualTo(ApprovalStatus.EXPIRED);
        assertThat(service.find(pending.request().id()).orElseThrow().status()).isEqualTo(ApprovalStatus.EXPIRED);
        assertThatThrownBy(() -> service.approve(pending.request().id(), ALICE, "", null)).hasMessageContaining("already expired");
    }

    @Test
    void voidingSettlesWithoutADecisionAndIsIdempotent() throws Exception {
        PendingApproval pending = service.open(draft("agent", dbas(1, Duration.ofMinutes(1))));
        service.voidRequest(pending.request().id(), "client left");
        service.voidRequest(pending.request().id(), "again");
        assertThat(pending.outcome().get(1, TimeUnit.SECONDS).reason()).isEqualTo("client left");
    }

    @Test
    void pendingRequestsAreBounded() throws Exception {
        for (int i = 0; i < 3; i++) {
            service.open(draft("agent", dbas(1, Duration.ofMinutes(1))));
        }
        assertThatThrownBy(() -> service.open(draft("agent", dbas(1, Duration.ofMinutes(1)))))
                .isInstanceOfSatisfying(ApprovalException.class,
                        e -> assertThat(e.problem()).isEqualTo(ApprovalException.Problem.UNAVAILABLE));
    }

    @Test
    void theBindingCoversEveryPartAndTheirBoundaries() {
        String base = ApprovalBinding.of("agent", "app", "DELETE FROM t WHERE id = $1", List.of("7"));
        assertThat(ApprovalBinding.of("agent", "app", "DELETE FROM t WHERE id = $1", List.of("7"))).isEqualTo(base);
        assertThat(ApprovalBinding.of("agent", "app", "DELETE FROM t WHERE id = $1", List.of("8"))).isNotEqualTo(base);
        assertThat(ApprovalBinding.of("agent2", "app", "DELETE FROM t WHERE id = $1", List.of("7"))).isNotEqualTo(base);
        assertThat(ApprovalBinding.of("agent", "ap", "pDELETE FROM t WHERE id = $1", List.of("7"))).isNotEqualTo(base);
        assertThat(ApprovalBinding.of("agent", "app", "DELETE FROM t WHERE id = $1", List.of("7", ""))).isNotEqualTo(base);
        java.util.List<String> withNull = new ArrayList<>();
        withNull.add(null);
        assertThat(ApprovalBinding.of("a", "b", "c", withNull)).isNotEqualTo(ApprovalBinding.of("a", "b", "c", List.of("")));
    }

    @Test
    void reasonsAreBoundedPlainText() throws Exception {
        String id = service.open(draft("agent", dbas(1, Duration.ofMinutes(1)))).request().id();
        assertThatThrownBy(() -> service.deny(id, ALICE, " ")).hasMessageContaining("needs a reason");
        assertThatThrownBy(() -> service.deny(id, ALICE, "x\u001b[31m")).hasMessageContaining("control character");
        assertThatThrownBy(() -> service.approve(id, ALICE, "y".repeat(1001), null)).hasMessageContaining("longer than");
        assertThat(service.deny(id, ALICE, "line one\nline two").status()).isEqualTo(ApprovalStatus.DENIED);
    }
}
