package dev.warden.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.warden.config.OidcConfig;
import dev.warden.testing.TestIssuer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The verifier against a real issuer, where the wire would hide the detail: claims mapping, key refresh limits, outages. */
class AccessTokenVerifierTest {
    private static TestIssuer issuer;

    @BeforeAll
    static void startIssuer() {
        issuer = TestIssuer.start();
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    private static AccessTokenVerifier verifier(OidcConfig.IdentityClaim claim, Duration refreshInterval) {
        return new AccessTokenVerifier(new OidcConfig(issuer.issuer(), "warden", claim, Optional.of("groups"),
                UpstreamAccess.READ_ONLY, Duration.ofSeconds(5), refreshInterval, false, Map.of()), Clock.systemUTC());
    }

    @Test
    void mapsTheConfiguredClaims() throws Exception {
        String token = issuer.token("0b5e-sub", "warden",
                Map.of("email", "ann@example.com", "groups", List.of("dbas", "oncall")), Duration.ofMinutes(5));
        VerifiedAccessToken bySubject = verifier(OidcConfig.IdentityClaim.SUB, Duration.ofSeconds(30)).verify(token);
        assertThat(bySubject.identity()).isEqualTo("0b5e-sub");
        assertThat(bySubject.groups()).containsExactly("dbas", "oncall");
        assertThat(verifier(OidcConfig.IdentityClaim.EMAIL, Duration.ofSeconds(30)).verify(token).identity())
                .isEqualTo("ann@example.com");
    }

    @Test
    void aSingleGroupStringCountsAndABadGroupRefusesTheToken() throws Exception {
        AccessTokenVerifier verifier = verifier(OidcConfig.IdentityClaim.SUB, Duration.ofSeconds(30));
        assertThat(verifier.verify(issuer.token("ann", "warden", Map.of("groups", "dbas"), Duration.ofMinutes(5))).groups())
                .containsExactly("dbas");
        InvalidAccessTokenException e = catchThrowableOfType(InvalidAccessTokenException.class, () -> verifier.verify(
                issuer.token("ann", "warden", Map.of("groups", List.of("dbas", "has space")), Duration.ofMinutes(5))));
        assertThat(e.clientReason()).hasValueSatisfying(reason -> assertThat(reason).contains("groups claim"));
    }

    @Test
    void missingIdentityClaimRefusesTheToken() {
        AccessTokenVerifier verifier = verifier(OidcConfig.IdentityClaim.PREFERRED_USERNAME, Duration.ofSeconds(30));
        InvalidAccessTokenException e = catchThrowableOfType(InvalidAccessTokenException.class,
                () -> verifier.verify(issuer.token("ann", "warden")));
        assertThat(e.clientReason()).hasValueSatisfying(reason -> assertThat(reason).contains("lacks required claims"));
    }

    @Test
    void unknownKeyIdsFetchTheJwksAtMostOncePerInterval() throws Exception {
        AccessTokenVerifier verifier = verifier(OidcConfig.IdentityClaim.SUB, Duration.ofSeconds(30));
        verifier.verify(issuer.token("ann", "warden"));
        issuer.jwksRequestsSinceLastAsked();
        issuer.rotateKey();
        // The first unknown key id may refresh the JWKS once; a stream of forged ones must not hammer the issuer.
        verifier.verify(issuer.token("ann", "warden"));
        for (int i = 0; i < 20; i++) {
            String forged = issuer.tokenWithUnknownKeyId("ann", "warden");
            InvalidAccessTokenException e = catchThrowableOfType(InvalidAccessTokenException.class,
                    () -> verifier.verify(forged));
            assertThat(e.issuerUnavailable()).isFalse();
        }
        assertThat(issuer.jwksRequestsSinceLastAsked()).isBetween(1, 2);
    }

    @Test
    void unreachableIssuerIsReportedAsSuchNotAsABadToken() {
        AccessTokenVerifier verifier = new AccessTokenVerifier(new OidcConfig(URI.create("http://127.0.0.1:9/nothing"),
                "warden", OidcConfig.IdentityClaim.SUB, Optional.empty(), UpstreamAccess.READ_ONLY, Duration.ofSeconds(5),
                Duration.ofSeconds(30), false, Map.of()), Clock.systemUTC());
        InvalidAccessTokenException e = catchThrowableOfType(InvalidAccessTokenException.class,
                () -> verifier.verify(issuer.token("ann", "warden")));
        assertThat(e.issuerUnavailable()).isTrue();
        assertThat(e.clientReason()).isEmpty();
    }
}
