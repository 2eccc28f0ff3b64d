package dev.warden.proxy;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues the gateway's own BackendKeyData and maps a client's CancelRequest to the upstream key.
 * Process ids are random (not sequential) so that, like the secret, they cannot be guessed.
 */
final class CancelRegistry {
    private final ConcurrentHashMap<Integer, CancelKey> keys = new ConcurrentHashMap<>();
    private final SecureRandom random;

    CancelRegistry(SecureRandom random) {
        this.random = random;
    }

    CancelKey register(InetSocketAddress upstreamAddress, int upstreamProcessId, int upstreamSecretKey) {
        while (true) {
            int processId = random.nextInt(Integer.MAX_VALUE - 1) + 1;
            CancelKey key = new CancelKey(processId, random.nextInt(), upstreamAddress, upstreamProcessId,
                    upstreamSecretKey);
            if (keys.putIfAbsent(processId, key) == null) {
                return key;
            }
        }
    }

    void unregister(CancelKey key) {
        keys.remove(key.processId(), key);
    }

    /** The upstream key for a client's cancel request, when both its process id and secret match. */
    Optional<CancelKey> find(int processId, int secretKey) {
        CancelKey key = keys.get(processId);
        if (key == null) {
            return Optional.empty();
        }
        boolean match = MessageDigest.isEqual(intBytes(key.secretKey()), intBytes(secretKey));
        return match ? Optional.of(key) : Optional.empty();
    }

    private static byte[] intBytes(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }
}
