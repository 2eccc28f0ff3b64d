package dev.warden.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPolicyHolder {

    private static final String ALLOW_READS = "rules: [{ name: reads, outcome: allow, match: { statements: [select] } }]\n";
    private static final String DENY_READS = "rules: [{ name: reads, outcome: deny, reason: no, match: { statements: [select] } }]\n";

    @TempDir
    Path directory;

    @Test
    void validReloadSwapsTheEngine() throws Exception {
        Path file = Files.writeString(directory.resolve("policy.yaml"), ALLOW_READS);
        PolicyHolder holder = PolicyHolder.load(file);
        PolicyEngine before = holder.engine();
        assertThat(holder.lastReload().result()).isEqualTo(PolicyHolder.ReloadStatus.Result.LOADED);

        Files.writeString(file, DENY_READS);
        PolicyHolder.ReloadStatus status = holder.reload();

        assertThat(status.result()).isEqualTo(PolicyHolder.ReloadStatus.Result.RELOADED);
        assertThat(status.activeVersion()).isEqualTo(holder.policy().version()).isNotEqualTo(before.policy().version());
        assertThat(status.error()).isEmpty();
        assertThat(holder.engine()).isNotSameAs(before);
        assertThat(holder.engine().decide(TestPolicyEngine.AGENT, "t", TestPolicyEngine.select(), TestPolicyEngine.NO_STARTUP)
                .outcome()).isEqualTo(Outcome.DENY);
        assertThat(holder.lastReload()).isEqualTo(status);
    }

    @Test
    void unchangedFileKeepsTheEngineAndItsCache() throws Exception {
        Path file = Files.writeString(directory.resolve("policy.yaml"), ALLOW_READS);
        PolicyHolder holder = PolicyHolder.load(file);
        PolicyEngine before = holder.engine();

        assertThat(holder.reload().result()).isEqualTo(PolicyHolder.ReloadStatus.Result.UNCHANGED);
        assertThat(holder.engine()).isSameAs(before);
    }

    @Test
    void invalidReloadKeepsTheOldPolicyAndRecordsTheError() throws Exception {
        Path file = Files.writeString(directory.resolve("policy.yaml"), ALLOW_READS);
        PolicyHolder holder = PolicyHolder.load(file);
        String version = holder.policy().version();

        Files.writeString(file, "rules:\n  - { name: reads, outcome: perhaps }\n");
        PolicyHolder.ReloadStatus status;
        try (LogCapture logs = LogCapture.start()) {
            status = holder.reload();
            assertThat(logs.anyLineContains("policy.yaml:2:29: rules[0].outcome: must be one of allow, require_approval, deny (got 'perhaps')"))
                    .as("logged: %s", logs.lines()).isTrue();
        }

        assertThat(status.result()).isEqualTo(PolicyHolder.ReloadStatus.Result.REJECTED);
        assertThat(status.activeVersion()).isEqualTo(version);
        assertThat(status.error()).hasValue(file + ":2:29: rules[0].outcome: must be one of allow, require_approval, deny (got 'perhaps')");
        assertThat(holder.policy().version()).isEqualTo(version);
        assertThat(holder.lastReload()).isEqualTo(status);
    }

    @Test
    void watcherPicksUpAnEdit() throws Exception {
        Path file = Files.writeString(directory.resolve("policy.yaml"), ALLOW_READS);
        PolicyHolder holder = PolicyHolder.load(file);
        String version = holder.policy().version();

        try (PolicyWatcher watcher = PolicyWatcher.start(holder, Duration.ofMillis(100))) {
            Files.writeString(file, DENY_READS);
            Instant deadline = Instant.now().plusSeconds(20);
            while (holder.policy().version().equals(version) && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
        }

        assertThat(holder.policy().version()).isNotEqualTo(version);
        assertThat(holder.lastReload().result()).isEqualTo(PolicyHolder.ReloadStatus.Result.RELOADED);
    }

    @Test
    void watcherRecordsAnInvalidEditAndKeepsRunning() throws Exception {
        Path file = Files.writeString(directory.resolve("policy.yaml"), ALLOW_READS);
        PolicyHolder holder = PolicyHolder.load(file);
        String version = holder.policy().version();

        try (PolicyWatcher watcher = PolicyWatcher.start(holder, Duration.ofMillis(100))) {
            Files.writeString(file, "rules: [");
            await(() -> holder.lastReload().result() == PolicyHolder.ReloadStatus.Result.REJECTED);
            assertThat(holder.policy().version()).isEqualTo(version);

            Files.writeString(file, DENY_READS);
            await(() -> holder.lastReload().result() == PolicyHolder.ReloadStatus.Result.RELOADED);
        }
        assertThat(holder.policy().version()).isNotEqualTo(version);
    }

    @Test
    void hangupHandlerInstalls() throws Exception {
        Path file = Files.writeString(directory.resolve("policy.yaml"), ALLOW_READS);

        assertThat(PolicyWatcher.reloadOnHangup(PolicyHolder.load(file))).isTrue();
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waited 20 s").isBefore(deadline);
            Thread.sleep(20);
        }
    }
}
