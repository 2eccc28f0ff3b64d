package dev.warden.config;

import static java.util.Objects.requireNonNull;

import dev.warden.identity.UpstreamAccess;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How clients that present an OIDC access token as their PostgreSQL password are authenticated.
 *
 * @param issuer the issuer identifier; its discovery document and JWKS are fetched from it, and
 *     tokens must name it exactly in {@code iss}
 * @param audience the value tokens must carry in {@code aud}, so that a token minted for another
 *     service cannot be replayed here
 * @param identityClaim the claim that names the identity
 * @param groupsClaim the claim holding the identity's groups (a list or one string), if any
 * @param access the upstream credential of token identities not listed under {@code identities:}
 * @param clockSkew tolerance for {@code exp} and {@code nbf} against the gateway's clock
 * @param jwksRefreshInterval least time between two JWKS fetches caused by an unknown key id, so a
 *     stream of made-up key ids cannot turn the gateway into a load generator against the issuer
 * @param allowLoopbackWithoutTls development only: accept tokens over plain TCP from loopback
 * @param aliases PostgreSQL user name to token identity, for identities that are not valid or
 *     convenient user names
 */
public record OidcConfig(
        URI issuer,
        String audience,
        IdentityClaim identityClaim,
        Optional<String> groupsClaim,
        UpstreamAccess access,
        Duration clockSkew,
        Duration jwksRefreshInterval,
        boolean allowLoopbackWithoutTls,
        Map<String, String> aliases) {

    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    public static final Duration DEFAULT_JWKS_REFRESH_INTERVAL = Duration.ofSeconds(30);

    public OidcConfig {
        requireNonNull(issuer, "issuer is null");
        requireNonNull(audience, "audience is null");
        requireNonNull(identityClaim, "identityClaim is null");
        requireNonNull(groupsClaim, "groupsClaim is null");
        requireNonNull(access, "access is null");
        requireNonNull(clockSkew, "clockSkew is null");
        requireNonNull(jwksRefreshInterval, "jwksRefreshInterval is null");
        aliases = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(aliases, "aliases is null")));
    }

    /** The claims an identity can be taken from: the stable subject, or a human-readable name. */
    public enum IdentityClaim {
        SUB,
        EMAIL,
        PREFERRED_USERNAME;

        public String claimName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether the PostgreSQL user {@code user} may act as the token identity {@code identity}. */
    public boolean userMatches(String user, String identity) {
        return user.equals(identity) || identity.equals(aliases.get(user));
    }
}
