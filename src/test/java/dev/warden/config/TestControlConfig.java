package dev.warden.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TestControlConfig {
    private static final String BASE = """
            listeners: [{}]
            targets:
              - name: appdb
                host: db.internal
                credentials:
                  read_only: { user: warden_ro, password: env:WARDEN_RO_PASSWORD }
            """;

    private static WardenConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(BASE + yaml, Path.of("/etc/warden/warden.yaml"));
    }

    private static String problem(String yaml) {
        return assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class).actual().getMessage();
    }

    @Test
    void withoutAControlSectionThereIsNoControlPlane() throws ConfigException {
        WardenConfig config = parse("");
        assertThat(config.control().listener()).isEmpty();
        assertThat(config.control().webhooks()).isEmpty();
    }

    @Test
    void readsTheControlPlaneAndApprovals() throws ConfigException {
        WardenConfig config = parse("""
                control:
                  port: 7070
                  public_url: https://warden.example.com
                  roles:
                    approver: [dbas]
                    auditor: [security]
                approvals:
                  max_pending: 50
                  webhooks:
                    - { url: "https://hooks.example.com/warden?key=1", format: generic }
                    - { url: env:SLACK_WEBHOOK, format: slack }
                """);
        ControlConfig control = config.control();
        assertThat(control.listener()).contains(new ControlConfig.Listener("127.0.0.1", 7070));
        assertThat(control.publicUrl()).contains("https://warden.example.com");
        assertThat(control.groupsWithRole("approver")).isEqualTo(Set.of("dbas"));
        assertThat(control.groupsWithRole("admin")).isEmpty();
        assertThat(control.maxPendingApprovals()).isEqualTo(50);
        assertThat(control.webhooks()).hasSize(2);
        assertThat(control.webhooks().get(0).url()).contains("https://hooks.example.com/warden?key=1");
        assertThat(control.webhooks().get(1).format()).isEqualTo(ControlConfig.WebhookFormat.SLACK);
        assertThat(control.webhooks().get(1).url()).isEqualTo(Optional.empty());
        assertThat(control.webhooks().get(1).describe()).doesNotContain("hooks");
    }

    @Test
    void peopleLogInThroughTheOidcIssuerWhenAClientIdIsGiven() throws ConfigException {
        WardenConfig config = parse("""
                oidc: { issuer: 'https://login.example.com/realms/main', audience: warden }
                control:
                  port: 7070
                  public_url: https://warden.example.com
                  oidc_client_id: warden-ui
                  oidc_client_secret: env:WARDEN_UI_SECRET
                """);
        ControlConfig.WebLogin login = config.control().webLogin().orElseThrow();
        assertThat(login.clientId()).isEqualTo("warden-ui");
        assertThat(login.clientSecret().orElseThrow().toString()).isEqualTo("env:WARDEN_UI_SECRET");
        assertThat(config.control().secureCookies()).isTrue();
        assertThat(parse("control: { port: 7070 }\n").control().webLogin()).isEmpty();
        assertThat(parse("control: { port: 7070 }\n").control().secureCookies()).isFalse();
    }

    @Test
    void aWebLoginNeedsTheOidcSectionAndAClientId() {
        assertThat(problem("control:\n  port: 7070\n  oidc_client_id: warden-ui\n"))
                .contains("control.oidc_client_id: people log in through the oidc: issuer, and there is no oidc: section");
        assertThat(problem("oidc: { issuer: 'https://login.example.com', audience: warden }\n"
                + "control:\n  port: 7070\n  oidc_client_secret: env:X\n"))
                .contains("control.oidc_client_secret: needs oidc_client_id");
        assertThat(problem("oidc: { issuer: 'https://login.example.com', audience: warden }\n"
                + "control:\n  port: 7070\n  oidc_client_id: warden-ui\n  oidc_client_secret: plain-secret\n"))
                .contains("control.oidc_client_secret").doesNotContain("plain-secret");
    }

    @Test
    void theControlPlaneListensOnLoopbackOnly() {
        assertThat(problem("control:\n  host: 0.0.0.0\n  port: 7070\n"))
                .contains("warden.yaml:8:9: control.host: must be a loopback address");
    }

    @Test
    void badValuesNameTheirLineAndField() {
        assertThat(problem("control:\n  port: 99999\n")).contains("warden.yaml:8:9: control.port: must be between 0 and 65535");
        assertThat(problem("control:\n  port: 7070\n  public_url: ftp://x\n")).contains("warden.yaml:9:15: control.public_url:");
        assertThat(problem("control:\n  port: 7070\n  roles: { approvers: [x] }\n")).contains("control.roles.approvers: unknown key");
        assertThat(problem("control:\n  host: 127.0.0.1\n")).contains("control.port");
        assertThat(problem("approvals:\n  webhooks:\n    - { url: \"https://user:pw@example.com/\" }\n"))
                .contains("approvals.webhooks[0].url: must be an http:// or https:// URL").doesNotContain("pw@");
        assertThat(problem("approvals:\n  webhooks:\n    - { url: env:X, format: teams }\n"))
                .contains("approvals.webhooks[0].format: must be one of generic, slack (got 'teams')");
        assertThat(problem("approvals:\n  max_pending: 0\n")).contains("approvals.max_pending");
    }

    @Test
    void withItsOwnCertificateTheControlPlaneMayListenBeyondLoopback(@org.junit.jupiter.api.io.TempDir Path directory)
            throws Exception {
        java.nio.file.Files.writeString(directory.resolve("control.crt"), "not parsed at load");
        java.nio.file.Files.writeString(directory.resolve("control.key"), "not parsed at load");
        WardenConfig config = ConfigLoader.parse(BASE + """
                control:
                  host: 0.0.0.0
                  port: 8443
                  cert: control.crt
                  key: control.key
                """, directory.resolve("warden.yaml"));
        ControlConfig.Listener listener = config.control().listener().orElseThrow();
        assertThat(listener.host()).isEqualTo("0.0.0.0");
        assertThat(listener.scheme()).isEqualTo("https");
        assertThat(listener.tls().orElseThrow().certificateFile()).isEqualTo(directory.resolve("control.crt"));
        String halfTls = assertThatThrownBy(() -> ConfigLoader.parse(BASE + """
                control:
                  port: 8443
                  cert: control.crt
                """, directory.resolve("warden.yaml"))).isInstanceOf(ConfigException.class).actual().getMessage();
        assertThat(halfTls).contains("control.cert: TLS needs both cert and key");
    }
}
