package dev.warden.control;

import static java.util.Objects.requireNonNull;

import dev.warden.policy.Subject;
import dev.warden.store.RecordStore;
import dev.warden.store.StoreException;
import dev.warden.store.StoredWebSession;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Web sessions in the record store ({@code warden_web_sessions}), so that every gateway node sharing
 * a PostgreSQL store knows them: a browser behind a load balancer stays logged in whichever node it
 * reaches, and a logout on one node ends the session on all. A store that cannot be read logs nobody
 * in (fail closed); one that cannot be written refuses the login or logout with an error.
 */
final class StoreWebSessionTable implements WebSessionTable {
    private static final Logger log = LoggerFactory.getLogger(StoreWebSessionTable.class);

    private final RecordStore store;
    private final int capacity;

    StoreWebSessionTable(RecordStore store, int capacity) {
        this.store = requireNonNull(store, "store is null");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public void insert(String idHash, Subject subject, Instant now, Instant expiresAt) {
        StoredWebSession session = new StoredWebSession(idHash, subject.identity(),
                subject.groups().stream().sorted().toList(), subject.readOnly(), micros(now), micros(expiresAt));
        try {
            store.saveWebSession(session, capacity);
        } catch (StoreException e) {
            throw new IllegalStateException("could not store the web session: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Entry> find(String idHash, Instant now) {
        try {
            return store.webSession(idHash, micros(now)).map(stored -> new Entry(
                    new Subject(stored.identity(), java.util.Set.copyOf(stored.groups()), stored.readOnly()),
                    Instant.EPOCH.plus(stored.expiresMicros(), ChronoUnit.MICROS)));
        } catch (StoreException e) {
            log.warn("web session lookup failed, treating the caller as logged out: {}", e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void delete(String idHash) {
        try {
            store.deleteWebSession(idHash);
        } catch (StoreException e) {
            throw new IllegalStateException("could not end the web session: " + e.getMessage(), e);
        }
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }
}
