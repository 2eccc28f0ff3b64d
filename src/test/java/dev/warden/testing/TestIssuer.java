package dev.warden.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;

/**
 * A real OIDC issuer on a free loopback port (NAV's mock-oauth2-server: discovery document, JWKS,
 * RS256-signed tokens), with what tests of token checking need on top: one signing key that can be
 * rotated, a clock that can be moved to mint tokens that are expired or not yet valid, and forged
 * tokens (foreign key, {@code alg: none}).
 */
public final class TestIssuer implements AutoCloseable {
    public static final String ISSUER_ID = "warden-test";

    private final MockOAuth2Server server;
    private final RotatingKey keys;
    private final AtomicReference<Instant> mintingTime;

    private TestIssuer(MockOAuth2Server server, RotatingKey keys, AtomicReference<Instant> mintingTime) {
        this.server = server;
        this.keys = keys;
        this.mintingTime = mintingTime;
    }

    public static TestIssuer start() {
        RotatingKey keys = new RotatingKey();
        AtomicReference<Instant> mintingTime = new AtomicReference<>();
        OAuth2TokenProvider tokens = new OAuth2TokenProvider(keys, () -> {
            Instant fixed = mintingTime.get();
            return fixed != null ? fixed : Instant.now();
        });
        MockOAuth2Server server = new MockOAuth2Server(new OAuth2Config(false, null, null, false, tokens));
        server.start();
        return new TestIssuer(server, keys, mintingTime);
    }

    /** The issuer identifier, as in the tokens' iss and in {@code oidc.issuer}. */
    public URI issuer() {
        return server.issuerUrl(ISSUER_ID).uri();
    }

    /**
     * What the next login through the authorization endpoint (a browser, {@code warden login}) gets:
     * an access token for {@code subject} with {@code audience} and {@code claims}.
     */
    public void enqueueLogin(String subject, String audience, Map<String, Object> claims) {
        server.enqueueCallback(new no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback(ISSUER_ID, subject, "JWT",
                java.util.List.of(audience), claims, 3600));
    }

    /** A token of this issuer, valid for {@code lifetime} from now. */
    public String token(String subject, String audience, Map<String, Object> claims, Duration lifetime) {
        return server.issueToken(ISSUER_ID, subject, audience, claims, lifetime.toSeconds()).serialize();
    }

    public String token(String subject, String audience) {
        return token(subject, audience, Map.of(), Duration.ofHours(1));
    }

    /**
     * Who the next login through the issuer's authorization endpoint is: the issuer logs the browser
     * in without a form and the token it then issues (ID token included) names {@code subject}, with
     * {@code clientId} as audience and {@code claims} added.
     */
    public void nextLogin(String subject, String clientId, Map<String, Object> claims) {
        server.enqueueCallback(new no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback(ISSUER_ID, subject, "JWT",
                List.of(clientId), claims, 3600));
    }

    /** A token minted as if the clock said {@code at}: in the past it is expired, in the future not yet valid. */
    public String tokenMintedAt(Instant at, String subject, String audience, Duration lifetime) {
        mintingTime.set(at);
        try {
            return token(subject, audience, Map.of(), lifetime);
        } finally {
            mintingTime.set(null);
        }
    }

    /** A token signed with this issuer's key but naming another issuer in iss. */
    public String tokenOfAnotherIssuer(String subject, String audience) {
        return server.issueToken("another-issuer", subject, audience, Map.of(), 3600).serialize();
    }

    /** Replaces the signing key (with a new key id); the JWKS then lists only the new key. */
    public void rotateKey() {
        keys.rotate();
    }

    /** A token with this issuer's claims and current key id, signed by a key the issuer never had. */
    public String forgedToken(String subject, String audience) {
        return signedByAStranger(keys.current().getKeyID(), subject, audience);
    }

    /** A token signed by a key the issuer never had, under a key id it never used (as if from a rotation not yet seen). */
    public String tokenWithUnknownKeyId(String subject, String audience) {
        return signedByAStranger(UUID.randomUUID().toString(), subject, audience);
    }

    private String signedByAStranger(String keyId, String subject, String audience) {
        try {
            RSAKey foreign = new RSAKeyGenerator(2048).keyID(keyId).generate();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(foreign.getKeyID()).build(),
                    claims(subject, audience));
            jwt.sign(new RSASSASigner(foreign));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsecured JWT ({@code alg: none}) with otherwise perfect claims. */
    public String unsignedToken(String subject, String audience) {
        String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)).toString();
        String payload = Base64URL.encode(claims(subject, audience).toString().getBytes(StandardCharsets.UTF_8)).toString();
        return header + "." + payload + ".";
    }

    private JWTClaimsSet claims(String subject, String audience) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer().toString()).subject(subject).audience(audience)
                .issueTime(java.util.Date.from(now)).notBeforeTime(java.util.Date.from(now))
                .expirationTime(java.util.Date.from(now.plusSeconds(3600))).jwtID(UUID.randomUUID().toString()).build();
    }

    /** How many requests for the JWKS the issuer has received since the last call (drains its request log). */
    public int jwksRequestsSinceLastAsked() {
        int count = 0;
        while (true) {
            okhttp3.mockwebserver.RecordedRequest request;
            try {
                request = server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                // mock-oauth2-server says "no request found in queue" this way.
                return count;
            }
            if (request.getPath() != null && request.getPath().endsWith("/jwks")) {
                count++;
            }
        }
    }

    @Override
    public void close() {
        server.shutdown();
    }

    /** One RSA key for every issuer id, replaced by {@link #rotate()}. */
    private static final class RotatingKey extends KeyProvider {
        private volatile RSAKey current = generate();

        RotatingKey() {
            super(List.of(), "RS256");
        }

        private static RSAKey generate() {
            try {
                return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        void rotate() {
            current = generate();
        }

        RSAKey current() {
            return current;
        }

        @Override
        public JWK signingKey(String issuerId) {
            return current;
        }

        @Override
        public List<JWK> get(JWKSelector selector, SecurityContext context) {
            return selector.select(new JWKSet(current));
        }
    }
}
