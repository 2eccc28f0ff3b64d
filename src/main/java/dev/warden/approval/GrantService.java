package dev.warden.approval;

import static java.util.Objects.requireNonNull;

import dev.warden.approval.ApprovalException.Problem;
import dev.warden.store.RecordStore;
import dev.warden.store.StoreException;
import dev.warden.store.StoredGrant;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Time-boxed grants: stored durably before they take effect (a grant the store did not take does
 * not exist), kept in memory for the data path, which asks {@link #covering} on every statement a
 * rule would hold.
 */
public final class GrantService {
    private static final Logger log = LoggerFactory.getLogger(GrantService.class);
    /** Longer standing access is a role change, not a grant. */
    public static final Duration MAX_DURATION = Duration.ofDays(7);

    private final RecordStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final List<Grant> grants = new ArrayList<>();

    /** Loads the grants that have not expired yet. */
    public GrantService(RecordStore store, Clock clock) throws StoreException {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        for (StoredGrant stored : store.grantsExpiringAfter(micros(clock.instant()))) {
            grants.add(fromStored(stored));
        }
    }

    /** What a grant is for; exactly one of identity and group. */
    public record Ask(Optional<String> identity, Optional<String> group, String target, String rule, Duration duration,
            String reason) {
        public Ask {
            requireNonNull(identity, "identity is null");
            requireNonNull(group, "group is null");
            requireNonNull(target, "target is null");
            requireNonNull(rule, "rule is null");
            requireNonNull(duration, "duration is null");
            requireNonNull(reason, "reason is null");
        }
    }

    public Grant create(Ask ask, String createdBy, Optional<String> approvalId) throws ApprovalException {
        if (ask.identity().isPresent() == ask.group().isPresent()) {
            throw new ApprovalException(Problem.INVALID, "a grant is for one identity or one group: give exactly one");
        }
        if (ask.duration().isNegative() || ask.duration().isZero() || ask.duration().compareTo(MAX_DURATION) > 0) {
            throw new ApprovalException(Problem.INVALID, "a grant lasts more than zero and at most " + MAX_DURATION.toDays()
                    + " days");
        }
        if (ask.reason().isBlank() || ask.reason().length() > ApprovalService.MAX_REASON_CHARS
                || ask.reason().chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
            throw new ApprovalException(Problem.INVALID, "a grant needs a reason of plain text, at most "
                    + ApprovalService.MAX_REASON_CHARS + " characters");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Grant grant = new Grant(newId(), ask.identity(), ask.group(), ask.target(), ask.rule(), ask.reason(), createdBy, now,
                now.plus(ask.duration()), approvalId, Optional.empty(), Optional.empty());
        try {
            store.saveGrant(new StoredGrant(grant.id(), grant.identity(), grant.group(), grant.target(), grant.rule(),
                    grant.reason(), createdBy, micros(now), micros(grant.expiresAt()), approvalId, Optional.empty(),
                    Optional.empty()));
        } catch (StoreException e) {
            log.error("grant for {} not created: the store did not take it: {}", grant.grantee(), e.getMessage());
            throw new ApprovalException(Problem.UNAVAILABLE, "the grant could not be recorded, so it was not created");
        }
        synchronized (this) {
            grants.add(grant);
        }
        notifyNodes(grant.id());
        log.info("grant {} created by {}: {} may run rule {} on target {} until {}", grant.id(), createdBy, grant.grantee(),
                grant.rule(), grant.target(), grant.expiresAt());
        return grant;
    }

    public Grant revoke(String id, String by) throws ApprovalException {
        Grant current = known(id);
        if (current == null) {
            // Perhaps created on another node since the last reload.
            reload();
            current = known(id);
        }
        if (current == null) {
            throw new ApprovalException(Problem.NOT_FOUND, "no grant with that id on this gateway");
        }
        if (current.revokedAt().isPresent()) {
            throw new ApprovalException(Problem.CONFLICT, "grant " + id + " is already revoked");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try {
            store.revokeGrant(id, by, micros(now));
        } catch (StoreException e) {
            throw new ApprovalException(Problem.UNAVAILABLE, "the revocation could not be recorded; the grant still stands");
        }
        Grant revoked = current.revoked(by, now);
        synchronized (this) {
            grants.replaceAll(grant -> grant.id().equals(id) ? revoked : grant);
        }
        notifyNodes(id);
        log.info("grant {} revoked by {}", id, by);
        return revoked;
    }

    private synchronized Grant known(String id) {
        return grants.stream().filter(grant -> grant.id().equals(id)).findFirst().orElse(null);
    }

    /** Reads the grants again (another node created or revoked one); keeps the current ones if the store fails. */
    public void reload() {
        List<Grant> fresh = new ArrayList<>();
        try {
            for (StoredGrant stored : store.grantsExpiringAfter(micros(clock.instant()))) {
                fresh.add(fromStored(stored));
            }
        } catch (StoreException e) {
            log.warn("grants not reloaded: {}", e.getMessage());
            return;
        }
        synchronized (this) {
            grants.clear();
            grants.addAll(fresh);
        }
    }

    /** Tells the other nodes sharing the store that grants changed. */
    private void notifyNodes(String id) {
        try {
            store.notifyNodes(SharedApprovals.GRANTS_CHANNEL, id);
        } catch (StoreException e) {
            log.warn("other nodes not told about grant {}: {}; they see it at their next poll", id, e.getMessage());
        }
    }

    /** The active grant that lets this identity run what {@code rule} would hold on {@code target}, if any. */
    public synchronized Optional<Grant> covering(String identity, Set<String> groups, String target, String rule) {
        Instant now = clock.instant();
        for (Grant grant : grants) {
            if (grant.activeAt(now) && grant.covers(identity, groups, target, rule)) {
                return Optional.of(grant);
            }
        }
        return Optional.empty();
    }

    /** Grants known here: only the active ones, or every one not yet expired long ago (revoked included). */
    public synchronized List<Grant> list(boolean includeInactive) {
        Instant now = clock.instant();
        grants.removeIf(grant -> grant.expiresAt().plus(Duration.ofDays(1)).isBefore(now));
        return grants.stream().filter(grant -> includeInactive || grant.activeAt(now)).toList();
    }

    private static Grant fromStored(StoredGrant stored) {
        return new Grant(stored.id(), stored.identity(), stored.group(), stored.target(), stored.rule(), stored.reason(),
                stored.createdBy(), instant(stored.createdMicros()), instant(stored.expiresMicros()), stored.approvalId(),
                stored.revokedBy(), stored.revokedMicros().map(GrantService::instant));
    }

    private String newId() {
        return RequestIds.next("grt_", random);
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    private static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
