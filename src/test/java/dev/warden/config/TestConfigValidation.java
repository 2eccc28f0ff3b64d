package dev.warden.config;

import static dev.warden.config.TestConfigLoader.VERIFIER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestConfigValidation {

    private static final String TARGET = """
            targets:
              - name: appdb
                host: db.internal
                credentials:
                  read_only: { user: warden_ro, password: env:WARDEN_RO_PASSWORD }
            """;

    @TempDir
    Path directory;

    @BeforeEach
    void createReferencedFiles() throws IOException {
        Files.writeString(directory.resolve("server.crt"), "certificate");
        Files.writeString(directory.resolve("server.key"), "key");
    }

    @Test
    void portOutOfRange() {
        ConfigException e = failure("""
                listeners:
                  - port: 6432
                targets:
                  - name: appdb
                    host: db.internal
                    port: 70000
                    credentials:
                      read_only: { user: warden_ro, password: env:WARDEN_RO_PASSWORD }
                """);

        assertThat(normalized(e)).isEqualTo("warden.yaml:6:11: targets[0].port: must be between 1 and 65535 (got 70000)");
        assertThat(e.line()).isEqualTo(6);
        assertThat(e.column()).isEqualTo(11);
        assertThat(e.field()).isEqualTo("targets[0].port");
    }

    @Test
    void portNotANumber() {
        assertThat(messageOf("listeners:\n  - port: sixty\n" + TARGET))
                .isEqualTo("warden.yaml:2:11: listeners[0].port: must be an integer (got 'sixty')");
    }

    @Test
    void unknownKey() {
        ConfigException e = failure("""
                listeners:
                  - host: 127.0.0.1
                    prot: 6432
                """ + TARGET);

        assertThat(normalized(e)).isEqualTo(
                "warden.yaml:3:5: listeners[0].prot: unknown key (expected one of host, port, tls, cert, key)");
        assertThat(e.field()).isEqualTo("listeners[0].prot");
    }

    @Test
    void unknownTopLevelKey() {
        assertThat(messageOf("listeners: [{}]\n" + TARGET + "limit:\n  idle_timeout: 1s\n"))
                .isEqualTo("warden.yaml:7:1: limit: unknown key (expected one of listeners, targets, identities, limits, policy, data_dir, store, recording, oidc, service_tokens, control, approvals)");
    }

    @Test
    void duplicateKey() {
        assertThat(messageOf("""
                listeners:
                  - port: 6432
                    port: 6433
                """ + TARGET))
                .isEqualTo("warden.yaml:3:5: listeners[0].port: duplicate key (first set at line 2)");
    }

    @Test
    void requiredField() {
        ConfigException e = failure("""
                listeners:
                  - port: 6432
                targets:
                  - name: appdb
                    credentials:
                      read_only: { user: warden_ro, password: env:WARDEN_RO_PASSWORD }
                """);

        assertThat(normalized(e)).isEqualTo("warden.yaml:4:5: targets[0].host: is required");
        assertThat(e.field()).isEqualTo("targets[0].host");
    }

    @Test
    void requiredReadOnlyCredential() {
        assertThat(messageOf("""
                listeners: [{}]
                targets:
                  - name: appdb
                    host: db.internal
                    credentials:
                      read_write: { user: warden_rw, password: env:WARDEN_RW_PASSWORD }
                """))
                .isEqualTo("warden.yaml:6:7: targets[0].credentials.read_only: is required");
    }

    @Test
    void atLeastOneListenerAndTarget() {
        assertThat(messageOf("identities: []\n"))
                .isEqualTo("""
                        warden.yaml:1:1: listeners: is required
                        warden.yaml:1:1: targets: is required""");
        assertThat(messageOf("listeners: []\ntargets: []\n"))
                .isEqualTo("""
                        warden.yaml:1:12: listeners: at least one listener is required
                        warden.yaml:2:10: targets: at least one target is required""");
    }

    @Test
    void wrongShape() {
        assertThat(messageOf("listeners:\n  host: 127.0.0.1\n" + TARGET))
                .isEqualTo("warden.yaml:2:3: listeners: must be a list");
        assertThat(messageOf("- listeners\n"))
                .isEqualTo("warden.yaml:1:1: must be a mapping of listeners, targets, identities, limits, policy, data_dir, store, recording, oidc, service_tokens, control, approvals");
    }

    @Test
    void emptyFile() {
        assertThat(messageOf("# nothing yet\n")).isEqualTo("warden.yaml: is empty; it needs at least listeners: and targets:");
    }

    @Test
    void duplicateListenerAddress() {
        ConfigException e = failure("""
                listeners:
                  - host: 127.0.0.1
                  - host: 127.0.0.1
                    port: 6432
                """ + TARGET);

        assertThat(normalized(e)).isEqualTo("warden.yaml:3:5: listeners[1]: listens on 127.0.0.1:6432 like the listener at line 2");
    }

    @Test
    void duplicateTargetName() {
        assertThat(messageOf("listeners: [{}]\n" + TARGET + """
                  - name: appdb
                    host: other.internal
                    credentials:
                      read_only: { user: warden_ro, password: env:WARDEN_RO_PASSWORD }
                """))
                .isEqualTo("warden.yaml:7:11: targets[1].name: duplicate target name (first defined at line 3)");
    }

    @Test
    void duplicateIdentityName() {
        assertThat(messageOf("listeners: [{}]\n" + TARGET + """
                identities:
                  - { name: agent-1, verifier: "%s" }
                  - { name: agent-1, verifier: "%s" }
                """.formatted(VERIFIER, VERIFIER)))
                .isEqualTo("warden.yaml:9:13: identities[1].name: duplicate identity name (first defined at line 8)");
    }

    @Test
    void namesWithoutWhitespace() {
        assertThat(messageOf("listeners: [{}]\n" + TARGET + """
                identities:
                  - name: "agent 1"
                    verifier: "%s"
                    groups: [agents, ""]
                """.formatted(VERIFIER)))
                .isEqualTo("""
                        warden.yaml:8:11: identities[0].name: must not contain whitespace or control characters
                        warden.yaml:10:22: identities[0].groups[1]: must not be empty""");
    }

    @Test
    void clientTlsNeedsCertificateAndKey() {
        assertThat(messageOf("""
                listeners:
                  - port: 6432
                    tls: optional
                """ + TARGET))
                .isEqualTo("""
                        warden.yaml:3:10: listeners[0].cert: is required when tls is optional
                        warden.yaml:3:10: listeners[0].key: is required when tls is optional""");
    }

    @Test
    void verifyFullNeedsCa() {
        assertThat(messageOf("""
                listeners: [{}]
                targets:
                  - name: appdb
                    host: db.internal
                    tls: verify-full
                    credentials:
                      read_only: { user: warden_ro, password: env:WARDEN_RO_PASSWORD }
                """))
                .isEqualTo("warden.yaml:5:10: targets[0].ca: is required when tls is verify-full");
    }

    @Test
    void referencedFilesMustExist() {
        assertThat(messageOf("""
                listeners:
                  - tls: required
                    cert: server.crt
                    key: missing.key
                """ + TARGET))
                .isEqualTo("warden.yaml:4:10: listeners[0].key: file " + directory.resolve("missing.key") + " does not exist");
        assertThat(messageOf("""
                listeners:
                  - tls: required
                    cert: .
                    key: server.key
                """ + TARGET))
                .isEqualTo("warden.yaml:3:11: listeners[0].cert: " + directory + " is not a regular file");
    }

    @Test
    void unknownChoice() {
        assertThat(messageOf("""
                listeners:
                  - tls: on
                """ + TARGET))
                .isEqualTo("warden.yaml:2:10: listeners[0].tls: must be one of off, optional, required (got 'on')");
        assertThat(messageOf("listeners: [{}]\n" + TARGET + """
                identities:
                  - { name: agent-1, verifier: "%s", access: admin }
                """.formatted(VERIFIER)))
                .isEqualTo("warden.yaml:8:177: identities[0].access: must be one of read_only, read_write (got 'admin')");
    }

    @Test
    void literalPasswordIsRefusedWithoutEchoingIt() {
        ConfigException e = failure("""
                listeners: [{}]
                targets:
                  - name: appdb
                    host: db.internal
                    credentials:
                      read_only:
                        user: warden_ro
                        password: Hunter2-Very-Secret
                """);

        assertThat(normalized(e)).isEqualTo("warden.yaml:8:19: targets[0].credentials.read_only.password: must be a reference,"
                + " env:NAME or file:/absolute/path (literal passwords are not allowed in the configuration file)");
        assertThat(e.getMessage()).doesNotContain("Hunter2");
    }

    @Test
    void badVerifierIsRefusedWithoutEchoingIt() {
        String broken = VERIFIER.replace("SCRAM-SHA-256$4096", "SCRAM-SHA-256$4096x");
        ConfigException e = failure("listeners: [{}]\n" + TARGET + """
                identities:
                  - name: agent-1
                    verifier: "%s"
                """.formatted(broken));

        assertThat(normalized(e)).isEqualTo("warden.yaml:9:15: identities[0].verifier: SCRAM-SHA-256 verifier iteration count"
                + " is not a positive integer; create one with: warden token create NAME");
        assertThat(e.getMessage()).doesNotContain("84rfW1JG", "yl7h6FsK", "LrnjLleO");
    }

    @Test
    void limits() {
        assertThat(messageOf("listeners: [{}]\n" + TARGET + """
                limits:
                  max_message_bytes: 1024
                  connect_timeout: 0s
                  authentication_timeout: 30
                  idle_timeout: -1s
                """))
                .isEqualTo("""
                        warden.yaml:8:22: limits.max_message_bytes: must be between 4096 and 1073741824 (got 1024)
                        warden.yaml:9:20: limits.connect_timeout: must be greater than 0
                        warden.yaml:10:27: limits.authentication_timeout: must be a duration such as 500ms, 10s, 5m or 1h (got '30')
                        warden.yaml:11:17: limits.idle_timeout: must be a duration such as 500ms, 10s, 5m or 1h (got '-1s')""");
    }

    @Test
    void collectsAllProblemsInFileOrder() {
        ConfigException e = failure("""
                listeners:
                  - port: 0
                targets:
                  - name: appdb
                    host: db.internal
                    port: 70000
                    credentials:
                      read_only: { user: warden_ro, password: swordfish }
                """);

        assertThat(e.problems()).hasSize(3);
        assertThat(normalized(e).lines()).containsExactly(
                "warden.yaml:2:11: listeners[0].port: must be between 1 and 65535 (got 0)",
                "warden.yaml:6:11: targets[0].port: must be between 1 and 65535 (got 70000)",
                "warden.yaml:8:47: targets[0].credentials.read_only.password: must be a reference,"
                        + " env:NAME or file:/absolute/path (literal passwords are not allowed in the configuration file)");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.field()).isEqualTo("listeners[0].port");
        assertThat(e.getMessage()).doesNotContain("swordfish");
    }

    @Test
    void yamlSyntaxError() {
        ConfigException e = failure("""
                listeners:
                  - port: 6432
                 targets: [
                """);

        assertThat(normalized(e)).isEqualTo(
                "warden.yaml:3:2: while parsing a block mapping: expected <block end>, but found '<block mapping start>'");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.field()).isEmpty();
    }

    @Test
    void yamlSyntaxErrorDoesNotQuoteTheLine() {
        ConfigException e = failure("""
                targets:
                  - credentials:
                      read_only: { user: warden_ro, password: "Hunter2-Very-Secret }
                """);

        assertThat(normalized(e)).isEqualTo("warden.yaml:4:1: while scanning a quoted scalar: found unexpected end of stream");
        assertThat(e.getMessage()).doesNotContain("Hunter2");
    }

    @Test
    void refusesAliasBombs() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 10; i++) {
            yaml.append("a").append(i).append(": &a").append(i).append(" [");
            yaml.append(String.join(", ", java.util.Collections.nCopies(10, "*a" + (i - 1)))).append("]\n");
        }

        ConfigException e = failure(yaml.toString());

        assertThat(normalized(e)).isEqualTo("warden.yaml: Number of aliases for non-scalar nodes exceeds the specified max=20");
    }

    @Test
    void policyFileIsResolvedAgainstTheConfigDirectoryAndMustExist() throws Exception {
        Files.writeString(directory.resolve("policy.yaml"), "rules: []");
        WardenConfig config = ConfigLoader.parse("listeners:\n  - port: 6432\n" + TARGET + "policy: policy.yaml\n",
                directory.resolve("warden.yaml"));
        assertThat(config.policy()).contains(directory.resolve("policy.yaml").toAbsolutePath().normalize());

        assertThat(messageOf("listeners:\n  - port: 6432\n" + TARGET + "policy: missing.yaml\n"))
                .startsWith("warden.yaml:8:9: policy: ");
    }

    @Test
    void withoutAPolicyTheConfigSaysSo() throws Exception {
        WardenConfig config = ConfigLoader.parse("listeners:\n  - port: 6432\n" + TARGET, directory.resolve("warden.yaml"));
        assertThat(config.policy()).isEmpty();
    }

    private ConfigException failure(String yaml) {
        ConfigException e = catchThrowableOfType(
                ConfigException.class, () -> ConfigLoader.parse(yaml, directory.resolve("warden.yaml")));
        assertThat(e).as("ConfigException").isNotNull();
        return e;
    }

    private String messageOf(String yaml) {
        return normalized(failure(yaml));
    }

    /** Shortens the temporary directory's config path to what a user running in that directory would see. */
    private String normalized(ConfigException e) {
        return e.getMessage().replace(directory.resolve("warden.yaml") + ":", "warden.yaml:");
    }
}
