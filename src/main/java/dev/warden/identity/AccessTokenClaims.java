package dev.warden.identity;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import dev.warden.config.OidcConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads identity and groups out of verified claims, as {@code oidc:} configures, refusing what it cannot read.
 * Public for the control plane's browser login, which reads the same claims out of an ID token.
 */
public final class AccessTokenClaims {
    /** More groups than any policy needs; a token with thousands is broken or hostile. */
    static final int MAX_GROUPS = 256;

    private final OidcConfig config;

    public AccessTokenClaims(OidcConfig config) {
        this.config = config;
    }

    public VerifiedAccessToken read(JWTClaimsSet claims) throws InvalidAccessTokenException {
        String claimName = config.identityClaim().claimName();
        Object identity = claims.getClaim(claimName);
        if (!(identity instanceof String name) || name.isEmpty()) {
            throw InvalidAccessTokenException.rejectedClaims("claim " + claimName + " is not a non-empty string",
                    "the access token's " + claimName + " claim is not a non-empty string");
        }
        Instant expiresAt = claims.getExpirationTime().toInstant();
        return new VerifiedAccessToken(name, groups(claims), expiresAt);
    }

    /**
     * A groups claim that cannot be read refuses the login rather than dropping groups: a policy may
     * deny by group, and a dropped group would lift that denial.
     */
    private List<String> groups(JWTClaimsSet claims) throws InvalidAccessTokenException {
        if (config.groupsClaim().isEmpty()) {
            return List.of();
        }
        String claimName = config.groupsClaim().get();
        Object value = claims.getClaim(claimName);
        if (value == null) {
            return List.of();
        }
        List<?> items = value instanceof List<?> list ? list : List.of(value);
        if (items.size() > MAX_GROUPS) {
            throw malformedGroups(claimName, "has more than " + MAX_GROUPS + " values");
        }
        List<String> groups = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof String group)) {
                throw malformedGroups(claimName, "holds a value that is not a string");
            }
            Optional<String> problem = Names.problem(group);
            if (problem.isPresent()) {
                throw malformedGroups(claimName, "holds a group name that " + problem.get());
            }
            groups.add(group);
        }
        return groups;
    }

    private static InvalidAccessTokenException malformedGroups(String claimName, String problem) {
        return InvalidAccessTokenException.rejectedClaims("claim " + claimName + " " + problem,
                "the access token's " + claimName + " claim " + problem);
    }

    /** What the holder of a genuine token is told; nimbus's messages are matched by their stable beginnings. */
    static String describe(BadJWTException e, OidcConfig config) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.startsWith("Expired JWT")) {
            return "the access token has expired; get a new one from your identity provider";
        }
        if (message.startsWith("JWT before use time")) {
            return "the access token is not valid yet (nbf is in the future); check the clocks";
        }
        if (message.startsWith("JWT aud claim rejected") || message.startsWith("JWT missing required aud claim")) {
            return "the access token was not issued for this gateway: its aud must include \"" + config.audience() + "\"";
        }
        if (message.startsWith("JWT iss claim value rejected")) {
            return "the access token was not issued by " + config.issuer();
        }
        if (message.startsWith("JWT missing required claims")) {
            return "the access token lacks required claims (exp, iss, aud and " + config.identityClaim().claimName() + ")";
        }
        return "the access token's claims were not accepted";
    }
}
