package dev.warden.proxy;

import dev.warden.config.SecretUnavailableException;
import dev.warden.masking.MaskingKey;
import dev.warden.policy.Policy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves the masking key of a policy once per policy version (not per session: a file read or an
 * environment lookup, and a warning when it fails, belong to the policy, not to each client), and
 * gives each session its own {@link MaskingKey} (which is not thread-safe). The secret is never logged.
 */
final class MaskingKeys {
    private static final Logger log = LoggerFactory.getLogger(MaskingKeys.class);

    private record Resolved(String policyVersion, String secret) {}

    private volatile Resolved resolved;

    /** The key of {@code policy}, or null when it has none or it cannot be read (hash rules then give NULL). */
    MaskingKey keyFor(Policy policy) {
        if (policy.masking().hashKey().isEmpty()) {
            return null;
        }
        Resolved current = resolved;
        if (current == null || !current.policyVersion().equals(policy.version())) {
            current = new Resolved(policy.version(), resolve(policy));
            resolved = current;
        }
        try {
            return current.secret() == null ? null : new MaskingKey(current.secret());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String resolve(Policy policy) {
        try {
            String secret = policy.masking().hashKey().get().resolve();
            new MaskingKey(secret); // too short is reported here, once
            return secret;
        } catch (SecretUnavailableException | IllegalArgumentException e) {
            log.warn("policy {}: masking key {} unusable ({}): hashed columns will be NULL", policy.shortVersion(),
                    policy.masking().hashKey().get(), e.getMessage());
            return null;
        }
    }
}
