package dev.warden.identity;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * What a verified OIDC access token says about its holder. Never holds the token itself.
 *
 * @param identity the value of the configured identity claim
 * @param groups the values of the configured groups claim (empty without one)
 * @param expiresAt the token's {@code exp}
 */
public record VerifiedAccessToken(String identity, List<String> groups, Instant expiresAt) {

    public VerifiedAccessToken {
        requireNonNull(identity, "identity is null");
        groups = List.copyOf(requireNonNull(groups, "groups is null"));
        requireNonNull(expiresAt, "expiresAt is null");
    }
}
