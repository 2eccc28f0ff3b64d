package dev.warden.config;

import static dev.warden.config.TestConfigLoader.VERIFIER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.warden.identity.Identity;
import dev.warden.identity.UpstreamAccess;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code oidc:} and {@code service_tokens:} sections: defaults, full mapping, and each mistake's message. */
class TestOidcConfig {

    private static final String BASE = """
            listeners: [{}]
            targets:
              - name: appdb
                host: db.internal
                credentials:
                  read_only: { user: warden_ro, password: env:WARDEN_RO_PASSWORD }
            """;

    private static WardenConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(BASE + yaml, Path.of("warden.yaml"));
    }

    private static String messageOf(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
        assertThat(e).as("ConfigException").isNotNull();
        return e.getMessage();
    }

    @Test
    void withoutTheSectionsThereIsNoOidcAndRevocationEndsSessions() throws Exception {
        WardenConfig config = parse("");
        assertThat(config.oidc()).isEmpty();
        assertThat(config.serviceTokens()).isEqualTo(ServiceTokenConfig.defaults());
        assertThat(config.serviceTokens().endSessionsOnRevoke()).isTrue();
    }

    @Test
    void defaults() throws Exception {
        OidcConfig oidc = parse("oidc: { issuer: 'https://login.example.com/realms/main', audience: warden }\n")
                .oidc().orElseThrow();
        assertThat(oidc).isEqualTo(new OidcConfig(URI.create("https://login.example.com/realms/main"), "warden",
                OidcConfig.IdentityClaim.SUB, Optional.empty(), UpstreamAccess.READ_ONLY, Duration.ofSeconds(60),
                Duration.ofSeconds(30), false, Map.of()));
    }

    @Test
    void fullMapping() throws Exception {
        WardenConfig config = parse("""
                oidc:
                  issuer: https://login.example.com
                  audience: api://warden
                  identity_claim: email
                  groups_claim: roles
                  access: read_write
                  clock_skew: 10s
                  jwks_refresh_interval: 1m
                  allow_loopback_without_tls: true
                  aliases:
                    alice: alice@example.com
                service_tokens: { end_sessions_on_revoke: false, check_interval: 30s }
                identities:
                  - name: alice@example.com
                    groups: [dbas]
                    access: read_write
                  - name: agent-1
                    verifier: "%s"
                """.formatted(VERIFIER));
        assertThat(config.oidc()).contains(new OidcConfig(URI.create("https://login.example.com"), "api://warden",
                OidcConfig.IdentityClaim.EMAIL, Optional.of("roles"), UpstreamAccess.READ_WRITE, Duration.ofSeconds(10),
                Duration.ofMinutes(1), true, Map.of("alice", "alice@example.com")));
        assertThat(config.serviceTokens()).isEqualTo(new ServiceTokenConfig(false, Duration.ofSeconds(30)));
        assertThat(config.identities().get("alice@example.com"))
                .isEqualTo(new Identity("alice@example.com", Optional.empty(), List.of("dbas"), UpstreamAccess.READ_WRITE));
        assertThat(config.identities().get("agent-1").verifier()).isPresent();
    }

    @Test
    void aliasesMatchUsersToIdentities() throws Exception {
        OidcConfig oidc = parse("oidc: { issuer: 'https://idp', audience: w, aliases: { al: alice } }\n").oidc().orElseThrow();
        assertThat(oidc.userMatches("alice", "alice")).isTrue();
        assertThat(oidc.userMatches("al", "alice")).isTrue();
        assertThat(oidc.userMatches("al", "bob")).isFalse();
        assertThat(oidc.userMatches("bob", "alice")).isFalse();
    }

    @Test
    void identityWithoutVerifierNeedsOidc() {
        assertThat(messageOf("identities:\n  - name: alice\n"))
                .isEqualTo("warden.yaml:8:5: identities[0].verifier: is required unless oidc: is configured"
                        + " (then the identity logs in with an access token)");
    }

    @Test
    void issuerAndAudienceAreRequired() {
        assertThat(messageOf("oidc: { identity_claim: email }\n"))
                .contains("warden.yaml:7:7: oidc.issuer: is required")
                .contains("warden.yaml:7:7: oidc.audience: is required");
    }

    @Test
    void plainHttpIssuerOnlyOnLoopback() throws Exception {
        assertThat(messageOf("oidc: { issuer: 'http://login.example.com', audience: w }\n"))
                .isEqualTo("warden.yaml:7:17: oidc.issuer: must use https: keys fetched over plain http could be"
                        + " replaced in transit (http is accepted for localhost only)");
        assertThat(parse("oidc: { issuer: 'http://localhost:8080/default', audience: w }\n").oidc()).isPresent();
        assertThat(messageOf("oidc: { issuer: 'ftp://idp', audience: w }\n"))
                .contains("oidc.issuer: must be an https:// URL");
        assertThat(messageOf("oidc: { issuer: 'https://idp?x=1', audience: w }\n"))
                .contains("oidc.issuer: must not have a query or fragment");
    }

    @Test
    void eachBadValueIsReportedWithItsPosition() {
        String message = messageOf("""
                oidc:
                  issuer: https://idp
                  audience: two words
                  identity_claim: upn
                  access: admin
                  clock_skew: 1h
                  jwks_refresh_interval: 0
                  allow_loopback_without_tls: maybe
                  aliases: [alice]
                  scopes: [openid]
                """);
        assertThat(message)
                .contains("warden.yaml:9:13: oidc.audience: must be a single word without whitespace")
                .contains("warden.yaml:10:19: oidc.identity_claim: must be one of sub, email, preferred_username (got 'upn')")
                .contains("warden.yaml:11:11: oidc.access: must be one of read_only, read_write (got 'admin')")
                .contains("warden.yaml:12:15: oidc.clock_skew: must be at most 10m")
                .contains("warden.yaml:13:26: oidc.jwks_refresh_interval: must be greater than 0")
                .contains("warden.yaml:14:31: oidc.allow_loopback_without_tls: must be one of true, false (got 'maybe')")
                .contains("warden.yaml:15:12: oidc.aliases: must be a mapping of PostgreSQL user names to token identities")
                .contains("warden.yaml:16:3: oidc.scopes: unknown key");
    }

    @Test
    void oidcMustBeAMapping() {
        assertThat(messageOf("oidc: https://idp\n")).startsWith("warden.yaml:7:7: oidc: must be a mapping of issuer");
    }

    @Test
    void serviceTokenSettingsAreChecked() {
        assertThat(messageOf("service_tokens: { check_interval: 0, end_sessions_on_revoke: 1 }\n"))
                .contains("service_tokens.check_interval: must be greater than 0")
                .contains("service_tokens.end_sessions_on_revoke: must be one of true, false (got '1')");
    }
}
