package dev.warden.identity;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.warden.config.OidcConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Checks OIDC access tokens (JWTs) presented as passwords: signature against the issuer's JWKS
 * (found through discovery), then issuer, audience, expiry and not-before with the configured skew.
 * Only asymmetric algorithms are accepted: {@code none} and HMAC (which would let anyone holding the
 * public key forge tokens) never are.
 *
 * <p>Discovery happens on the first token, not at start, so a gateway can start (and serve its
 * SCRAM identities) while the issuer is unreachable; it is retried at most every
 * {@code jwks_refresh_interval}. A token signed with a key id the cached JWKS lacks makes the JWKS
 * be fetched again (key rotation), rate-limited by the same interval.
 *
 * <p>Blocking (HTTP): call it from a worker thread, never from an event loop. Thread-safe.
 */
public final class AccessTokenVerifier {

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA);
    /** JWT (most issuers) and at+jwt (RFC 9068); no typ at all is common too. */
    private static final DefaultJOSEObjectTypeVerifier<SecurityContext> TYPES = new DefaultJOSEObjectTypeVerifier<>(
            JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null);
    private static final int HTTP_TIMEOUT_MILLIS = 5_000;
    /** A JWKS is a few kilobytes; the cap keeps a misbehaving endpoint from filling the heap. */
    private static final int JWKS_SIZE_LIMIT = 512 * 1024;
    private static final Duration JWKS_CACHE_TIME = Duration.ofMinutes(5);

    private final OidcConfig config;
    private final AccessTokenClaims claims;
    private final Clock clock;
    private final Object discoveryLock = new Object();
    private volatile DefaultJWTProcessor<SecurityContext> processor;
    private Instant lastDiscoveryAttempt = Instant.MIN;

    public AccessTokenVerifier(OidcConfig config, Clock clock) {
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.claims = new AccessTokenClaims(config);
    }

    public VerifiedAccessToken verify(String token) throws InvalidAccessTokenException {
        requireNonNull(token, "token is null");
        SignedJWT jwt = parseSigned(token);
        DefaultJWTProcessor<SecurityContext> jwtProcessor = processor();
        JWTClaimsSet claimsSet;
        try {
            claimsSet = jwtProcessor.process(jwt, null);
        } catch (BadJWTException e) {
            // Claims are checked only after the signature, so this token is genuine: tell its holder why.
            throw InvalidAccessTokenException.rejectedClaims("access token claims rejected: " + e.getMessage(),
                    AccessTokenClaims.describe(e, config));
        } catch (BadJOSEException e) {
            throw InvalidAccessTokenException.untrusted("access token not trusted: " + e.getMessage());
        } catch (RateLimitReachedException e) {
            // Its key id is not in the JWKS, and the JWKS was fetched again only moments ago.
            throw InvalidAccessTokenException.untrusted("access token signed with an unknown key (JWKS refresh rate-limited)");
        } catch (KeySourceException e) {
            throw InvalidAccessTokenException.issuerUnavailable(
                    "cannot fetch the signing keys of " + config.issuer() + ": " + e.getMessage(), e);
        } catch (com.nimbusds.jose.JOSEException e) {
            throw InvalidAccessTokenException.untrusted("access token signature could not be checked: " + e.getMessage());
        }
        return claims.read(claimsSet);
    }

    private static SignedJWT parseSigned(String token) throws InvalidAccessTokenException {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            // The parser's message may quote parts of the token.
            throw InvalidAccessTokenException.untrusted("password is not a JWT");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw InvalidAccessTokenException.untrusted("access token is not signed (alg "
                    + jwt.getHeader().getAlgorithm() + "); only signed tokens are accepted");
        }
        return signed;
    }

    private DefaultJWTProcessor<SecurityContext> processor() throws InvalidAccessTokenException {
        DefaultJWTProcessor<SecurityContext> current = processor;
        if (current != null) {
            return current;
        }
        synchronized (discoveryLock) {
            if (processor != null) {
                return processor;
            }
            Instant now = clock.instant();
            if (lastDiscoveryAttempt.plus(config.jwksRefreshInterval()).isAfter(now)) {
                throw InvalidAccessTokenException.issuerUnavailable("discovery of " + config.issuer()
                        + " failed recently; retrying after " + config.jwksRefreshInterval(), null);
            }
            lastDiscoveryAttempt = now;
            processor = newProcessor(discoverJwksUrl());
            return processor;
        }
    }

    private URL discoverJwksUrl() throws InvalidAccessTokenException {
        try {
            // resolve() also checks that the document names this issuer, as OpenID Connect Discovery requires.
            OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(config.issuer()),
                    HTTP_TIMEOUT_MILLIS, HTTP_TIMEOUT_MILLIS);
            URI jwks = metadata.getJWKSetURI();
            if (jwks == null) {
                throw InvalidAccessTokenException.issuerUnavailable(
                        "the discovery document of " + config.issuer() + " has no jwks_uri", null);
            }
            return jwks.toURL();
        } catch (GeneralException | IOException e) {
            throw InvalidAccessTokenException.issuerUnavailable(
                    "OIDC discovery of " + config.issuer() + " failed: " + e.getMessage(), e);
        }
    }

    private DefaultJWTProcessor<SecurityContext> newProcessor(URL jwksUrl) {
        JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(jwksUrl,
                        new DefaultResourceRetriever(HTTP_TIMEOUT_MILLIS, HTTP_TIMEOUT_MILLIS, JWKS_SIZE_LIMIT))
                .cache(JWKS_CACHE_TIME.toMillis(), HTTP_TIMEOUT_MILLIS)
                .rateLimited(config.jwksRefreshInterval().toMillis())
                .refreshAheadCache(false)
                .retrying(false)
                .build();
        DefaultJWTProcessor<SecurityContext> jwtProcessor = new DefaultJWTProcessor<>();
        jwtProcessor.setJWSTypeVerifier(TYPES);
        jwtProcessor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        DefaultJWTClaimsVerifier<SecurityContext> verifier = new DefaultJWTClaimsVerifier<>(
                Set.of(config.audience()),
                new JWTClaimsSet.Builder().issuer(config.issuer().toString()).build(),
                Set.of("exp", "iss", "aud", config.identityClaim().claimName()),
                Set.of());
        verifier.setMaxClockSkew((int) Math.min(Integer.MAX_VALUE, config.clockSkew().toSeconds()));
        jwtProcessor.setJWTClaimsSetVerifier(verifier);
        return jwtProcessor;
    }
}
