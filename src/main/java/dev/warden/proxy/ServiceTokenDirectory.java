package dev.warden.proxy;

import static java.util.Objects.requireNonNull;

import dev.warden.identity.ServiceToken;
import dev.warden.store.ServiceTokenStore;
import dev.warden.store.StoreException;
import dev.warden.store.StoreLocation;
import java.time.Clock;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The gateway's view of the service tokens in its store, opened on first use (on a worker thread,
 * so a gateway object can be built without touching the store). Every login asks the store afresh:
 * a token revoked a moment ago by the CLI or by another gateway node no longer lets anyone in.
 */
final class ServiceTokenDirectory {
    private final Supplier<StoreLocation> location;
    private final Clock clock;
    private ServiceTokenStore store;

    ServiceTokenDirectory(Supplier<StoreLocation> location, Clock clock) {
        this.location = requireNonNull(location, "location is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    Optional<ServiceToken> findUsable(String name) throws StoreException {
        return store().findUsable(name, clock.instant());
    }

    Set<String> unusableAmong(Collection<String> ids) throws StoreException {
        return store().unusableAmong(ids, clock.instant());
    }

    private synchronized ServiceTokenStore store() throws StoreException {
        if (store == null) {
            store = ServiceTokenStore.open(location.get());
        }
        return store;
    }
}
