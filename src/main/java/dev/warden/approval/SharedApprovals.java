package dev.warden.approval;

import static java.util.Objects.requireNonNull;

import dev.warden.approval.ApprovalException.Problem;
import dev.warden.store.RecordStore;
import dev.warden.store.SharedApproval;
import dev.warden.store.StoreException;
import dev.warden.store.StoredVote;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Approvals across gateway nodes that share a store: this node publishes the requests it holds and
 * their outcomes; an approver on another node records a vote there and notifies; this node, woken by
 * the notification (LISTEN/NOTIFY on PostgreSQL, and a poll in case one was missed), applies the votes
 * for its requests through its own {@link ApprovalService}, which checks them again. Grants are
 * reloaded the same way when another node changes them.
 *
 * <p>Store writes never run on the caller's thread (the data path): they go through a bounded queue
 * to a thread of their own.
 */
public final class SharedApprovals implements ApprovalNotifier, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SharedApprovals.class);
    public static final String VOTES_CHANNEL = "warden_approvals";
    public static final String GRANTS_CHANNEL = "warden_grants";
    static final Duration POLL = Duration.ofSeconds(2);
    /** How long an approver's call on one node waits for the node holding the statement to apply the vote. */
    static final Duration REMOTE_DECISION_WAIT = Duration.ofSeconds(5);

    private final RecordStore store;
    private final String node;
    private final ApprovalNotifier next;
    private final Clock clock;
    private final ThreadPoolExecutor writes;
    private final ScheduledThreadPoolExecutor poller;
    private volatile ApprovalService service;
    private volatile GrantService grants;
    private AutoCloseable listener;

    public SharedApprovals(RecordStore store, String node, ApprovalNotifier next, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.node = requireNonNull(node, "node is null");
        this.next = requireNonNull(next, "next is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.writes = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(10_000), runnable -> {
            Thread thread = new Thread(runnable, "warden-shared-approvals");
            thread.setDaemon(true);
            return thread;
        });
        this.poller = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "warden-shared-approvals-poll");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts applying other nodes' votes to {@code approvals} and reloading {@code grantService} on change. */
    public void start(ApprovalService approvals, GrantService grantService) {
        this.service = requireNonNull(approvals, "approvals is null");
        this.grants = requireNonNull(grantService, "grantService is null");
        listener = store.listen(List.of(VOTES_CHANNEL, GRANTS_CHANNEL), channel -> poller.execute(
                VOTES_CHANNEL.equals(channel) ? this::applyVotes : this::reloadGrants));
        poller.scheduleWithFixedDelay(() -> {
            applyVotes();
            reloadGrants();
        }, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    public String node() {
        return node;
    }

    @Override
    public void requested(ApprovalSnapshot request) {
        ApprovalRequest r = request.request();
        SharedApproval shared = new SharedApproval(r.id(), node, ApprovalJson.write(r), ApprovalStatus.PENDING.word());
        storeLater("publish approval " + r.id(), () -> store.publishApproval(shared, micros(r.requestedAt()),
                micros(r.expiresAt())));
        next.requested(request);
    }

    @Override
    public void decided(ApprovalSnapshot request) {
        String id = request.request().id();
        String status = request.status().word();
        storeLater("record the outcome of approval " + id, () -> store.approvalStatus(id, status));
        next.decided(request);
    }

    private interface StoreWrite {
        void run() throws StoreException;
    }

    private void storeLater(String what, StoreWrite write) {
        try {
            writes.execute(() -> {
                try {
                    write.run();
                } catch (StoreException e) {
                    log.error("{}: the store refused: {}", what, e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            log.error("{}: too many store writes waiting; other nodes will not see it", what);
        }
    }

    /** Pending requests held by other nodes. */
    public List<ApprovalSnapshot> pendingElsewhere() {
        List<ApprovalSnapshot> pending = new ArrayList<>();
        try {
            for (SharedApproval shared : store.pendingApprovals()) {
                if (!shared.node().equals(node)) {
                    pending.add(snapshot(shared));
                }
            }
        } catch (StoreException | IllegalArgumentException e) {
            log.warn("cannot list other nodes' approval requests: {}", e.getMessage());
        }
        return pending;
    }

    /** A request another node holds, if the store knows it. */
    public Optional<ApprovalSnapshot> findElsewhere(String id) {
        try {
            return store.sharedApproval(id).filter(shared -> !shared.node().equals(node)).map(SharedApprovals::snapshot);
        } catch (StoreException | IllegalArgumentException e) {
            log.warn("cannot read approval request {}: {}", id, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Decides a request another node holds: checked here as it will be there, recorded as a vote,
     * and the other node woken; then waits briefly for it to apply the vote.
     */
    public ApprovalSnapshot decideElsewhere(String id, Approver approver, boolean approve, String reason, String binding)
            throws ApprovalException {
        ApprovalSnapshot current = findElsewhere(id)
                .orElseThrow(() -> new ApprovalException(Problem.NOT_FOUND, "no approval request with that id"));
        if (current.status().isFinal()) {
            throw new ApprovalException(Problem.CONFLICT, "approval request " + id + " is already " + current.status().word());
        }
        if (!approve && (reason == null || reason.isBlank())) {
            throw new ApprovalException(Problem.INVALID, "a denial needs a reason: the requester is told it");
        }
        String text = reason == null ? "" : reason;
        ApprovalService.checkReason(text);
        ApprovalService.checkEligible(current.request(), approver);
        if (binding != null && !binding.isBlank() && !binding.equals(current.request().binding())) {
            throw new ApprovalException(Problem.CONFLICT, "approval request " + id
                    + " is for a different statement or different parameters than the one you reviewed (binding mismatch)");
        }
        try {
            boolean recorded = store.vote(new StoredVote(id, approver.identity(), ApprovalJson.groups(approver.groups()),
                    approve, text, binding), micros(clock.instant()));
            if (!recorded) {
                throw new ApprovalException(Problem.CONFLICT, "you already decided on approval request " + id);
            }
            store.notifyNodes(VOTES_CHANNEL, id);
        } catch (StoreException e) {
            throw new ApprovalException(Problem.UNAVAILABLE, "the vote could not be recorded: the store is unavailable");
        }
        long deadline = System.nanoTime() + REMOTE_DECISION_WAIT.toNanos();
        ApprovalSnapshot latest = current;
        while (System.nanoTime() < deadline) {
            latest = findElsewhere(id).orElse(latest);
            if (latest.status().isFinal()) {
                break;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        log.info("approval {} (held on another node) {} by {}: now {}", id, approve ? "approved" : "denied",
                approver.identity(), latest.status().word());
        return latest;
    }

    /** On the node holding the requests: applies the votes other nodes recorded. */
    void applyVotes() {
        ApprovalService approvals = service;
        if (approvals == null) {
            return;
        }
        List<StoredVote> votes;
        try {
            votes = store.unappliedVotes(node);
        } catch (StoreException e) {
            log.warn("cannot read other nodes' votes: {}", e.getMessage());
            return;
        }
        for (StoredVote vote : votes) {
            // The deciding node checked the approver's role; the rule's named approvers are checked again here.
            Approver approver = new Approver(vote.approver(), ApprovalJson.groups(vote.approverGroups()), true);
            try {
                if (vote.approve()) {
                    approvals.approve(vote.approvalId(), approver, vote.reason(), vote.binding());
                } else {
                    approvals.deny(vote.approvalId(), approver, vote.reason());
                }
            } catch (ApprovalException e) {
                log.warn("vote of {} on approval {} from another node not applied: {}", vote.approver(), vote.approvalId(),
                        e.getMessage());
            }
            try {
                store.voteApplied(vote.approvalId(), vote.approver());
            } catch (StoreException e) {
                log.warn("cannot mark a vote applied: {}", e.getMessage());
            }
        }
    }

    private void reloadGrants() {
        GrantService current = grants;
        if (current != null) {
            current.reload();
        }
    }

    private static ApprovalSnapshot snapshot(SharedApproval shared) {
        ApprovalStatus status = ApprovalStatus.valueOf(shared.status().toUpperCase(java.util.Locale.ROOT));
        return new ApprovalSnapshot(ApprovalJson.read(shared.request()), status, List.of(), Optional.empty(), Optional.empty());
    }

    private static long micros(java.time.Instant instant) {
        return ChronoUnit.MICROS.between(java.time.Instant.EPOCH, instant);
    }

    @Override
    public void close() {
        if (listener != null) {
            try {
                listener.close();
            } catch (Exception e) {
                log.debug("closing the store listener: {}", e.toString());
            }
        }
        poller.shutdownNow();
        writes.shutdown();
        try {
            // Outcomes still queued (voided at shutdown) are worth a moment.
            writes.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
