package dev.warden.approval;

import static java.util.Objects.requireNonNull;

import dev.warden.approval.ApprovalException.Problem;
import dev.warden.policy.ApprovalRequirement;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the requests of parked statements and settles them: N distinct eligible approvers approve,
 * or one denies, or the rule's timeout passes, or the requester goes away. A request is decided once;
 * the parked session learns the outcome through its future and runs the held statement (or not).
 *
 * <p>Bounded: at most {@code maxPending} requests wait at once (further ones are refused, so the
 * statement fails closed), and only the latest {@link #HISTORY} decided requests are kept for listing
 * (the durable account of every step is the session record).
 */
public final class ApprovalService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApprovalService.class);

    static final int HISTORY = 500;
    static final int MAX_REASON_CHARS = 1000;

    private final Clock clock;
    private final int maxPending;
    private final ApprovalNotifier notifier;
    private final SecureRandom random = new SecureRandom();
    private final ScheduledThreadPoolExecutor timer;
    private final Map<String, Entry> pending = new LinkedHashMap<>();
    private final ArrayDeque<Entry> decided = new ArrayDeque<>();

    private final Optional<GrantService> grants;

    public ApprovalService(Clock clock, int maxPending, ApprovalNotifier notifier) {
        this(clock, maxPending, notifier, Optional.empty());
    }

    /** @param grants where approved grant requests ({@link RequestedGrant}) become grants */
    public ApprovalService(Clock clock, int maxPending, ApprovalNotifier notifier, Optional<GrantService> grants) {
        this.grants = requireNonNull(grants, "grants is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be at least 1");
        }
        this.maxPending = maxPending;
        this.notifier = requireNonNull(notifier, "notifier is null");
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "warden-approval-expiry");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Opens a request; the statement stays parked until the returned future completes. */
    public PendingApproval open(ApprovalDraft draft) throws ApprovalException {
        requireNonNull(draft, "draft is null");
        Entry entry;
        synchronized (this) {
            if (pending.size() >= maxPending) {
                throw new ApprovalException(Problem.UNAVAILABLE, "too many statements (" + maxPending
                        + ") are already waiting for approval on this gateway");
            }
            String id = newId();
            Instant now = clock.instant();
            Duration timeout = draft.requirement().timeout();
            ApprovalRequest request = new ApprovalRequest(id, draft, ApprovalBinding.of(draft.requester(), draft.target(),
                    draft.statement(), draft.parameters()), now, now.plus(timeout));
            entry = new Entry(request);
            pending.put(id, entry);
            entry.expiry = timer.schedule(() -> expire(id), timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        log.info("approval {} requested by {} on target {} (rule {})", entry.request.id(), draft.requester(), draft.target(),
                draft.rule());
        notifyQuietly(true, entry);
        return new PendingApproval(entry.request, entry.outcome);
    }

    public ApprovalSnapshot approve(String id, Approver approver, String reason, String expectedBinding)
            throws ApprovalException {
        return decide(id, approver, true, reason == null ? "" : reason, expectedBinding);
    }

    public ApprovalSnapshot deny(String id, Approver approver, String reason) throws ApprovalException {
        if (reason == null || reason.isBlank()) {
            throw new ApprovalException(Problem.INVALID, "a denial needs a reason: the requester is told it");
        }
        return decide(id, approver, false, reason, null);
    }

    private ApprovalSnapshot decide(String id, Approver approver, boolean approve, String reason, String expectedBinding)
            throws ApprovalException {
        requireNonNull(approver, "approver is null");
        checkReason(reason);
        Entry entry;
        ApprovalSnapshot snapshot;
        boolean nowFinal;
        synchronized (this) {
            entry = pending.get(id);
            if (entry == null) {
                Entry old = findDecided(id);
                if (old == null) {
                    throw new ApprovalException(Problem.NOT_FOUND, "no approval request " + quote(id) + " on this gateway");
                }
                throw new ApprovalException(Problem.CONFLICT, "approval request " + id + " is already " + old.status.word());
            }
            ApprovalRequest request = entry.request;
            checkEligible(request, approver);
            if (expectedBinding != null && !expectedBinding.isBlank() && !expectedBinding.equals(request.binding())) {
                throw new ApprovalException(Problem.CONFLICT, "approval request " + id
                        + " is for a different statement or different parameters than the one you reviewed (binding mismatch)");
            }
            if (entry.votes.stream().anyMatch(vote -> vote.approver().equals(approver.identity()))) {
                throw new ApprovalException(Problem.CONFLICT, "you already decided on approval request " + id
                        + "; it needs another approver");
            }
            entry.votes.add(new ApprovalVote(approver.identity(), approve, reason, clock.instant()));
            long approvals = entry.votes.stream().filter(ApprovalVote::approve).count();
            nowFinal = !approve || approvals >= request.draft().requirement().count();
            if (nowFinal) {
                finish(entry, approve ? ApprovalStatus.APPROVED : ApprovalStatus.DENIED, approversOf(entry, approve), reason);
            }
            snapshot = entry.snapshot();
        }
        log.info("approval {} {} by {}", id, approve ? "approved" : "denied", approver.identity());
        if (nowFinal) {
            if (approve) {
                grantIfAsked(entry.request);
            }
            complete(entry);
        }
        return snapshot;
    }

    /** An approved request that asked for a grant creates it, granted by whoever approved. */
    private void grantIfAsked(ApprovalRequest request) {
        ApprovalDraft draft = request.draft();
        if (draft.grant().isEmpty()) {
            return;
        }
        if (grants.isEmpty()) {
            log.warn("approval {} asked for a grant, but this gateway keeps no grants", request.id());
            return;
        }
        RequestedGrant asked = draft.grant().get();
        String approvers;
        synchronized (this) {
            approvers = findDecided(request.id()) == null ? "" : approversOf(findDecided(request.id()), true);
        }
        try {
            grants.get().create(new GrantService.Ask(Optional.of(draft.requester()), Optional.empty(), draft.target(),
                    draft.rule(), asked.duration(), asked.reason()), approvers, Optional.of(request.id()));
        } catch (ApprovalException e) {
            // The statement itself was approved and runs; only the standing grant failed.
            log.error("approval {}: the grant it asked for was not created: {}", request.id(), e.getMessage());
        }
    }

    /** The requester went away (disconnect, cancel): nobody needs to decide any more. */
    public void voidRequest(String id, String why) {
        settleWithoutDecision(id, ApprovalStatus.VOIDED, why);
    }

    private void expire(String id) {
        settleWithoutDecision(id, ApprovalStatus.EXPIRED, "no decision within the approval timeout");
    }

    private void settleWithoutDecision(String id, ApprovalStatus status, String why) {
        Entry entry;
        synchronized (this) {
            entry = pending.get(id);
            if (entry == null) {
                return;
            }
            finish(entry, status, "", why);
        }
        log.info("approval {} {}: {}", id, status.word(), why);
        complete(entry);
    }

    /** Under the lock: moves the entry to the decided history. */
    private void finish(Entry entry, ApprovalStatus status, String actors, String reason) {
        entry.status = status;
        entry.decidedAt = clock.instant();
        entry.result = new ApprovalOutcome(status, actors, reason);
        pending.remove(entry.request.id());
        if (entry.expiry != null) {
            entry.expiry.cancel(false);
        }
        decided.addFirst(entry);
        while (decided.size() > HISTORY) {
            decided.removeLast();
        }
    }

    /** Outside the lock: wakes the parked session and tells approvers. */
    private void complete(Entry entry) {
        entry.outcome.complete(entry.result);
        notifyQuietly(false, entry);
    }

    private void notifyQuietly(boolean requested, Entry entry) {
        ApprovalSnapshot snapshot;
        synchronized (this) {
            snapshot = entry.snapshot();
        }
        try {
            if (requested) {
                notifier.requested(snapshot);
            } else {
                notifier.decided(snapshot);
            }
        } catch (RuntimeException e) {
            log.warn("approval {}: notifying approvers failed: {}", entry.request.id(), e.toString());
        }
    }

    private static String approversOf(Entry entry, boolean approve) {
        return String.join(", ", entry.votes.stream().filter(vote -> vote.approve() == approve)
                .map(ApprovalVote::approver).toList());
    }

    /**
     * Why this approver could not decide the request, in the words a refused decision would use; empty
     * when they could (so a page can say why it offers no buttons, rather than hide them silently).
     */
    public static Optional<String> whyMayNotDecide(ApprovalRequest request, Approver approver) {
        try {
            checkEligible(request, approver);
            return Optional.empty();
        } catch (ApprovalException e) {
            return Optional.of(e.getMessage());
        }
    }

    static void checkEligible(ApprovalRequest request, Approver approver) throws ApprovalException {
        if (approver.identity().equals(request.requester())) {
            throw new ApprovalException(Problem.FORBIDDEN,
                    "you asked for this statement yourself; another approver must decide approval request " + request.id());
        }
        ApprovalRequirement requirement = request.draft().requirement();
        boolean namesApprovers = !requirement.identities().isEmpty() || !requirement.groups().isEmpty();
        if (namesApprovers) {
            boolean named = requirement.identities().contains(approver.identity())
                    || requirement.groups().stream().anyMatch(approver.groups()::contains);
            if (!named) {
                throw new ApprovalException(Problem.FORBIDDEN, "rule \"" + request.draft().rule() + "\" names its approvers ("
                        + describe(requirement) + "); " + approver.identity() + " is not one of them");
            }
        } else if (!approver.approverRole()) {
            throw new ApprovalException(Problem.FORBIDDEN, approver.identity()
                    + " does not have the approver role (control.roles.approver in warden.yaml)");
        }
    }

    private static String describe(ApprovalRequirement requirement) {
        List<String> parts = new ArrayList<>();
        if (!requirement.identities().isEmpty()) {
            parts.add("identities " + String.join(", ", requirement.identities()));
        }
        if (!requirement.groups().isEmpty()) {
            parts.add("groups " + String.join(", ", requirement.groups()));
        }
        return String.join("; ", parts);
    }

    static void checkReason(String reason) throws ApprovalException {
        if (reason.length() > MAX_REASON_CHARS) {
            throw new ApprovalException(Problem.INVALID, "the reason is longer than " + MAX_REASON_CHARS + " characters");
        }
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\t') {
                throw new ApprovalException(Problem.INVALID, "the reason contains a control character (code "
                        + (int) c + "); use plain text");
            }
        }
    }

    public synchronized List<ApprovalSnapshot> pending() {
        return pending.values().stream().map(Entry::snapshot)
                .sorted(Comparator.comparing(snapshot -> snapshot.request().requestedAt())).toList();
    }

    /** Decided requests, newest first. */
    public synchronized List<ApprovalSnapshot> recent(int limit) {
        return decided.stream().limit(Math.max(0, limit)).map(Entry::snapshot).toList();
    }

    public synchronized Optional<ApprovalSnapshot> find(String id) {
        Entry entry = pending.get(id);
        if (entry == null) {
            entry = findDecided(id);
        }
        return Optional.ofNullable(entry).map(Entry::snapshot);
    }

    private Entry findDecided(String id) {
        for (Entry entry : decided) {
            if (entry.request.id().equals(id)) {
                return entry;
            }
        }
        return null;
    }

    private String newId() {
        String id;
        do {
            id = RequestIds.next("apr_", random);
        } while (pending.containsKey(id));
        return id;
    }

    private static String quote(String id) {
        String shown = id == null ? "" : id.length() > 40 ? id.substring(0, 40) + "..." : id;
        return "\"" + shown.replaceAll("[^A-Za-z0-9_.-]", "?") + "\"";
    }

    /** Voids whatever is still pending (the gateway is stopping) and stops the timer. */
    @Override
    public void close() {
        List<String> ids;
        synchronized (this) {
            ids = List.copyOf(pending.keySet());
        }
        for (String id : ids) {
            voidRequest(id, "the gateway is shutting down");
        }
        timer.shutdownNow();
    }

    private static final class Entry {
        final ApprovalRequest request;
        final List<ApprovalVote> votes = new ArrayList<>();
        final CompletableFuture<ApprovalOutcome> outcome = new CompletableFuture<>();
        ApprovalStatus status = ApprovalStatus.PENDING;
        Instant decidedAt;
        ApprovalOutcome result;
        ScheduledFuture<?> expiry;

        Entry(ApprovalRequest request) {
            this.request = request;
        }

        ApprovalSnapshot snapshot() {
            return new ApprovalSnapshot(request, status, votes, Optional.ofNullable(decidedAt), Optional.ofNullable(result));
        }
    }
}
