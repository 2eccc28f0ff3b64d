package dev.warden.config;

import dev.warden.identity.UpstreamAccess;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reads {@code oidc:} and {@code service_tokens:}. */
final class OidcSection {

    private static final List<String> KEYS = List.of("issuer", "audience", "identity_claim", "groups_claim", "access",
            "clock_skew", "jwks_refresh_interval", "allow_loopback_without_tls", "aliases");
    private static final List<String> SERVICE_TOKEN_KEYS = List.of("end_sessions_on_revoke", "check_interval");
    private static final Map<String, OidcConfig.IdentityClaim> CLAIMS = new LinkedHashMap<>();
    private static final Map<String, UpstreamAccess> ACCESS = new LinkedHashMap<>();
    private static final Map<String, Boolean> BOOLEANS = new LinkedHashMap<>();
    /** Beyond a few minutes a skew hides a broken clock rather than tolerating drift. */
    private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(10);

    static {
        for (OidcConfig.IdentityClaim claim : OidcConfig.IdentityClaim.values()) {
            CLAIMS.put(claim.claimName(), claim);
        }
        for (UpstreamAccess access : UpstreamAccess.values()) {
            ACCESS.put(access.configName(), access);
        }
        BOOLEANS.put("true", true);
        BOOLEANS.put("false", false);
    }

    private OidcSection() {}

    static Optional<OidcConfig> read(YamlNode node) {
        return node.asMapping(KEYS).flatMap(mapping -> {
            ConfigProblems problems = mapping.self().problems();
            int before = problems.size();
            URI issuer = mapping.required("issuer", OidcSection::readIssuer);
            String audience = mapping.required("audience", YamlNode::asWord);
            OidcConfig.IdentityClaim claim = mapping.value("identity_claim", n -> n.asChoice(CLAIMS),
                    OidcConfig.IdentityClaim.SUB);
            String groupsClaim = mapping.optional("groups_claim", YamlNode::asWord);
            UpstreamAccess access = mapping.value("access", n -> n.asChoice(ACCESS), UpstreamAccess.READ_ONLY);
            Duration skew = mapping.value("clock_skew", OidcSection::readClockSkew, OidcConfig.DEFAULT_CLOCK_SKEW);
            Duration refresh = mapping.value("jwks_refresh_interval", n -> n.asDuration(false),
                    OidcConfig.DEFAULT_JWKS_REFRESH_INTERVAL);
            Boolean loopback = mapping.value("allow_loopback_without_tls", n -> n.asChoice(BOOLEANS), false);
            Map<String, String> aliases = mapping.value("aliases", OidcSection::readAliases, Map.of());
            if (problems.size() != before) {
                return Optional.empty();
            }
            return Optional.of(new OidcConfig(issuer, audience, claim, Optional.ofNullable(groupsClaim), access, skew,
                    refresh, loopback, aliases));
        });
    }

    static ServiceTokenConfig readServiceTokens(YamlNode node) {
        ServiceTokenConfig defaults = ServiceTokenConfig.defaults();
        return node.asMapping(SERVICE_TOKEN_KEYS).map(mapping -> {
            ConfigProblems problems = mapping.self().problems();
            int before = problems.size();
            Boolean end = mapping.value("end_sessions_on_revoke", n -> n.asChoice(BOOLEANS), defaults.endSessionsOnRevoke());
            Duration interval = mapping.value("check_interval", n -> n.asDuration(false), defaults.checkInterval());
            return problems.size() != before ? defaults : new ServiceTokenConfig(end, interval);
        }).orElse(defaults);
    }

    /**
     * An https URL (http only for loopback, for development and tests): discovery and keys fetched over
     * plain HTTP from elsewhere could be replaced on the way, and with them every identity.
     */
    private static Optional<URI> readIssuer(YamlNode node) {
        return node.asUri().flatMap(uri -> {
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
                node.problem("must be an https:// URL (the issuer identifier, as in the tokens' iss claim)");
                return Optional.empty();
            }
            if (scheme.equals("http") && !YamlNode.isLoopbackHost(uri.getHost())) {
                node.problem("must use https: keys fetched over plain http could be replaced in transit"
                        + " (http is accepted for localhost only)");
                return Optional.empty();
            }
            if (uri.getQuery() != null || uri.getFragment() != null) {
                node.problem("must not have a query or fragment (OpenID Connect Discovery forbids them)");
                return Optional.empty();
            }
            return Optional.of(uri);
        });
    }

    private static Optional<Duration> readClockSkew(YamlNode node) {
        return node.asDuration(true).filter(skew -> {
            if (skew.compareTo(MAX_CLOCK_SKEW) > 0) {
                node.problem("must be at most 10m; a larger skew hides a broken clock");
                return false;
            }
            return true;
        });
    }

    /** {@code postgres_user: token_identity}; a user name may alias one identity only. */
    private static Optional<Map<String, String>> readAliases(YamlNode node) {
        return node.asNamedMapping("PostgreSQL user names to token identities").flatMap(entries -> {
            Map<String, String> aliases = new LinkedHashMap<>();
            boolean valid = true;
            for (Map.Entry<YamlNode, YamlNode> entry : entries) {
                Optional<String> user = entry.getKey().asName();
                Optional<String> identity = entry.getValue().asWord();
                if (user.isPresent() && identity.isPresent()) {
                    aliases.put(user.get(), identity.get());
                } else {
                    valid = false;
                }
            }
            return valid ? Optional.of(aliases) : Optional.empty();
        });
    }
}
