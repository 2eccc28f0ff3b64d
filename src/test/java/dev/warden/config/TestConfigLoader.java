package dev.warden.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.identity.Identity;
import dev.warden.identity.ScramVerifier;
import dev.warden.identity.UpstreamAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestConfigLoader {

    static final String VERIFIER = "SCRAM-SHA-256$4096:84rfW1JGTHyOA/XO/U/Xrg==$"
            + "yl7h6FsKm4JeyrM7s5dELI3aWGnWJJqdw9LFs62M4y0=:LrnjLleO7051F8PdHl4x1FP8X8DZXh1GpSYZdXTK+CU=";

    @TempDir
    Path directory;

    Path source;

    @BeforeEach
    void createReferencedFiles() throws IOException {
        source = directory.resolve("warden.yaml");
        Files.createDirectories(directory.resolve("tls"));
        for (String name : List.of("tls/server.crt", "tls/server.key", "tls/db-ca.crt")) {
            Files.writeString(directory.resolve(name), "-----BEGIN PLACEHOLDER-----\n");
        }
    }

    @Test
    void mapsEveryKey() throws Exception {
        WardenConfig config = parse("""
                listeners:
                  - host: 0.0.0.0
                    port: 7432
                    tls: required
                    cert: tls/server.crt
                    key: %s
                  - host: ::1
                targets:
                  - name: appdb
                    host: db.internal
                    port: 5433
                    database: app_production
                    tls: verify-full
                    ca: tls/db-ca.crt
                    credentials:
                      read_only:  { user: warden_ro, password: env:WARDEN_RO_PASSWORD }
                      read_write: { user: warden_rw, password: file:/run/secrets/warden_rw }
                  - name: reports
                    host: reports.internal
                    tls: require
                    credentials:
                      read_only: { user: reporter, password: env:REPORTS_PASSWORD }
                identities:
                  - name: agent-1
                    verifier: "%s"
                    groups: [agents, nightly]
                    access: read_write
                  - name: agent-2
                    verifier: '%s'
                limits:
                  max_message_bytes: 65536
                  connect_timeout: 500ms
                  authentication_timeout: 1m
                  idle_timeout: 1h
                  shutdown_grace_period: 0s
                """.formatted(directory.resolve("tls/server.key"), VERIFIER, VERIFIER));

        assertThat(config.source()).isEqualTo(source);
        assertThat(config.listeners()).containsExactly(
                new ListenerConfig("0.0.0.0", 7432, ClientTlsMode.REQUIRED,
                        directory.resolve("tls/server.crt"), directory.resolve("tls/server.key")),
                new ListenerConfig("::1", 6432, ClientTlsMode.OFF, null, null));
        assertThat(config.targets().keySet()).containsExactly("appdb", "reports");
        assertThat(config.targets().get("appdb")).isEqualTo(new TargetConfig(
                "appdb", "db.internal", 5433, "app_production", UpstreamTlsMode.VERIFY_FULL,
                directory.resolve("tls/db-ca.crt"),
                new UpstreamCredential("warden_ro", SecretReference.parse("env:WARDEN_RO_PASSWORD")),
                Optional.of(new UpstreamCredential("warden_rw", SecretReference.parse("file:/run/secrets/warden_rw")))));
        assertThat(config.targets().get("reports")).isEqualTo(new TargetConfig(
                "reports", "reports.internal", 5432, "reports", UpstreamTlsMode.REQUIRE, null,
                new UpstreamCredential("reporter", SecretReference.parse("env:REPORTS_PASSWORD")),
                Optional.empty()));
        assertThat(config.identities().keySet()).containsExactly("agent-1", "agent-2");
        assertThat(config.identities().get("agent-1")).isEqualTo(new Identity(
                "agent-1", ScramVerifier.parse(VERIFIER), List.of("agents", "nightly"), UpstreamAccess.READ_WRITE));
        assertThat(config.identities().get("agent-2")).isEqualTo(new Identity(
                "agent-2", ScramVerifier.parse(VERIFIER), List.of(), UpstreamAccess.READ_ONLY));
        assertThat(config.limits()).isEqualTo(new LimitsConfig(
                65536, Duration.ofMillis(500), Duration.ofMinutes(1), Duration.ofHours(1), Duration.ZERO));
    }

    @Test
    void appliesDefaults() throws Exception {
        WardenConfig config = parse("""
                listeners:
                  - {}
                targets:
                  - name: appdb
                    host: db.internal
                    credentials:
                      read_only: { user: warden_ro, password: env:WARDEN_RO_PASSWORD }
                """);

        assertThat(config.listeners()).containsExactly(new ListenerConfig("127.0.0.1", 6432, ClientTlsMode.OFF, null, null));
        TargetConfig target = config.targets().get("appdb");
        assertThat(target.port()).isEqualTo(5432);
        assertThat(target.database()).isEqualTo("appdb");
        assertThat(target.tls()).isEqualTo(UpstreamTlsMode.DISABLE);
        assertThat(target.caFile()).isNull();
        assertThat(target.readWrite()).isEmpty();
        assertThat(config.identities()).isEmpty();
        assertThat(config.limits()).isEqualTo(ConfigDefaults.limits());
    }

    @Test
    void defaultLimits() {
        assertThat(ConfigDefaults.limits()).isEqualTo(new LimitsConfig(
                16777216, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ZERO, Duration.ofSeconds(30)));
        assertThat(ConfigDefaults.limits().hasIdleTimeout()).isFalse();
    }

    @Test
    void emptyValuesMeanDefault() throws Exception {
        WardenConfig config = parse("""
                listeners:
                  - port:
                    host: ~
                targets:
                  - name: appdb
                    host: db.internal
                    credentials:
                      read_only: { user: warden_ro, password: env:WARDEN_RO_PASSWORD }
                limits:
                """);

        assertThat(config.listeners().get(0).port()).isEqualTo(6432);
        assertThat(config.limits()).isEqualTo(ConfigDefaults.limits());
    }

    @Test
    void credentialForAccess() throws Exception {
        WardenConfig config = parse(minimal());
        TargetConfig target = config.targets().get("appdb");

        assertThat(target.credential(UpstreamAccess.READ_ONLY)).contains(target.readOnly());
        assertThat(target.credential(UpstreamAccess.READ_WRITE)).isEmpty();
    }

    @Test
    void loadsFromFileAndResolvesRelativePathsAgainstItsDirectory() throws Exception {
        Files.writeString(source, """
                listeners:
                  - tls: optional
                    cert: tls/server.crt
                    key: ./tls/../tls/server.key
                targets:
                  - name: appdb
                    host: db.internal
                    credentials:
                      read_only: { user: warden_ro, password: env:WARDEN_RO_PASSWORD }
                """);

        WardenConfig config = ConfigLoader.load(source);

        assertThat(config.listeners().get(0).certificateFile()).isEqualTo(directory.resolve("tls/server.crt"));
        assertThat(config.listeners().get(0).privateKeyFile()).isEqualTo(directory.resolve("tls/server.key"));
    }

    @Test
    void missingFile() {
        Path missing = directory.resolve("absent.yaml");

        assertThatThrownBy(() -> ConfigLoader.load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": cannot read: No such file");
    }

    static String minimal() {
        return """
                listeners:
                  - port: 6432
                targets:
                  - name: appdb
                    host: db.internal
                    credentials:
                      read_only: { user: warden_ro, password: env:WARDEN_RO_PASSWORD }
                """;
    }

    WardenConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, source);
    }
}
