package dev.warden.proxy;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues the gateway's own BackendKeyData and maps a client's CancelRequest to the upstream key.
 *
 * <p>The process id given to the client is the upstream backend's real one, so that
 * {@code PQbackendPID()} / {@code PGConnection.getBackendPID()} equal {@code pg_backend_pid()} and
 * NOTIFY senders compare as drivers expect; it is no secret, SQL shows it. The secret key is
 * Warden's own random value: only it authorises a cancel, and the upstream secret never leaves the
 * gateway. Two targets can have backends with the same pid, so keys are grouped by pid and told
 * apart by secret (compared in constant time).
 */
final class CancelRegistry {
    private final ConcurrentHashMap<Integer, List<CancelKey>> keysByProcessId = new ConcurrentHashMap<>();
    private final SecureRandom random;

    CancelRegistry(SecureRandom random) {
        this.random = random;
    }

    CancelKey register(InetSocketAddress upstreamAddress, int upstreamProcessId, int upstreamSecretKey) {
        CancelKey[] issued = new CancelKey[1];
        keysByProcessId.compute(upstreamProcessId, (pid, existing) -> {
            List<CancelKey> keys = existing == null ? new ArrayList<>(1) : new ArrayList<>(existing);
            int secret;
            do {
                secret = random.nextInt();
            } while (secretInUse(keys, secret));
            issued[0] = new CancelKey(pid, secret, upstreamAddress, upstreamProcessId, upstreamSecretKey);
            keys.add(issued[0]);
            return List.copyOf(keys);
        });
        return issued[0];
    }

    void unregister(CancelKey key) {
        keysByProcessId.computeIfPresent(key.processId(), (pid, existing) -> {
            List<CancelKey> keys = new ArrayList<>(existing);
            keys.remove(key);
            return keys.isEmpty() ? null : List.copyOf(keys);
        });
    }

    /** The upstream key for a client's cancel request, when both its process id and secret match. */
    Optional<CancelKey> find(int processId, int secretKey) {
        List<CancelKey> keys = keysByProcessId.get(processId);
        if (keys == null) {
            return Optional.empty();
        }
        CancelKey match = null;
        for (CancelKey key : keys) {
            if (MessageDigest.isEqual(intBytes(key.secretKey()), intBytes(secretKey))) {
                match = key;
            }
        }
        return Optional.ofNullable(match);
    }

    private static boolean secretInUse(List<CancelKey> keys, int secret) {
        for (CancelKey key : keys) {
            if (key.secretKey() == secret) {
                return true;
            }
        }
        return false;
    }

    private static byte[] intBytes(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }
}
