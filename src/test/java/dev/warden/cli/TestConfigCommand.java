package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestConfigCommand {

    private static final String VERIFIER = "SCRAM-SHA-256$4096:84rfW1JGTHyOA/XO/U/Xrg==$"
            + "yl7h6FsKm4JeyrM7s5dELI3aWGnWJJqdw9LFs62M4y0=:LrnjLleO7051F8PdHl4x1FP8X8DZXh1GpSYZdXTK+CU=";

    @TempDir
    Path directory;

    @Test
    void validFile() throws Exception {
        Path file = Files.writeString(directory.resolve("warden.yaml"), """
                listeners: [{}]
                targets:
                  - name: appdb
                    host: db.internal
                    credentials:
                      read_only: { user: warden_ro, password: env:PATH }
                identities:
                  - { name: agent-1, verifier: "%s" }
                  - { name: agent-2, verifier: "%s" }
                policy: policy.yaml
                """.formatted(VERIFIER, VERIFIER));
        Path policy = directory.resolve("policy.yaml");
        try (var sample = getClass().getResourceAsStream("/policy/sample-policy.yaml")) {
            Files.copy(sample, policy);
        }

        CommandResult result = CommandResult.run("config", "validate", file.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith(file + ": OK (1 listener, 1 target, 2 identities)\n"
                + policy.toAbsolutePath().normalize() + ": OK (policy ");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void anInvalidPolicyFailsValidationWithItsLineAndField() throws Exception {
        Files.writeString(directory.resolve("policy.yaml"), """
                rules:
                  - name: no-drop
                    outcome: forbid
                    reason: "no"
                """);
        Path file = Files.writeString(directory.resolve("warden.yaml"), """
                listeners: [{}]
                targets:
                  - name: appdb
                    host: db.internal
                    credentials:
                      read_only: { user: warden_ro, password: env:PATH }
                policy: policy.yaml
                """);

        CommandResult result = CommandResult.run("config", "validate", file.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith(directory.resolve("policy.yaml").toAbsolutePath().normalize() + ":3:14: rules[0].outcome: ");
    }

    @Test
    void warnsAboutUnresolvableSecrets() throws Exception {
        Path file = Files.writeString(directory.resolve("warden.yaml"), """
                listeners: [{ port: 6432 }, { port: 6433 }]
                targets:
                  - name: appdb
                    host: db.internal
                    credentials:
                      read_only: { user: warden_ro, password: env:WARDEN_TEST_SURELY_UNSET_1F4C }
                  - name: other
                    host: other.internal
                    credentials:
                      read_only: { user: warden_ro, password: env:PATH }
                """);

        CommandResult result = CommandResult.run("config", "validate", file.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo(file + ": OK (2 listeners, 2 targets, 0 identities)\n");
        assertThat(result.err()).isEqualTo(file + ": warning: no policy: every statement will be refused (rule warden-no-policy)\n"
                + file + ": warning: targets.appdb.credentials.read_only.password:"
                + " environment variable WARDEN_TEST_SURELY_UNSET_1F4C is not set\n");
    }

    @Test
    void invalidFile() throws Exception {
        Path file = Files.writeString(directory.resolve("warden.yaml"), """
                listeners: [{ port: 70000 }]
                targets:
                  - name: appdb
                    host: db.internal
                    credentials:
                      read_only: { user: warden_ro, password: Hunter2 }
                """);

        CommandResult result = CommandResult.run("config", "validate", file.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo(file + ":1:21: listeners[0].port: must be between 1 and 65535 (got 70000)\n"
                + file + ":6:47: targets[0].credentials.read_only.password: must be a reference, env:NAME or"
                + " file:/absolute/path (literal passwords are not allowed in the configuration file)\n");
    }

    @Test
    void missingFile() {
        Path file = directory.resolve("absent.yaml");

        CommandResult result = CommandResult.run("config", "validate", file.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo(file + ": cannot read: No such file\n");
    }

    @Test
    void missingSubcommandIsAUsageError() {
        CommandResult result = CommandResult.run("config");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Missing subcommand: validate");
    }
}
