package dev.warden.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestWardenConfig {

    @TempDir
    Path directory;

    @Test
    void reportsUnresolvableSecretsWithoutValues() throws Exception {
        Path secret = Files.writeString(directory.resolve("rw"), "Hunter2\n");
        WardenConfig config = ConfigLoader.parse("""
                listeners: [{}]
                targets:
                  - name: appdb
                    host: db.internal
                    credentials:
                      read_only: { user: warden_ro, password: env:PATH }
                      read_write: { user: warden_rw, password: "file:%s" }
                  - name: other
                    host: other.internal
                    credentials:
                      read_only: { user: warden_ro, password: env:WARDEN_TEST_SURELY_UNSET_1F4C }
                      read_write: { user: warden_rw, password: "file:%s" }
                """.formatted(secret, directory.resolve("absent")), directory.resolve("warden.yaml"));

        assertThat(config.checkSecretsResolvable()).containsExactly(
                "targets.other.credentials.read_only.password: environment variable WARDEN_TEST_SURELY_UNSET_1F4C is not set",
                "targets.other.credentials.read_write.password: cannot read file " + directory.resolve("absent") + ": No such file");
    }

    @Test
    void collectionsAreImmutable() throws Exception {
        WardenConfig config = ConfigLoader.parse(TestConfigLoader.minimal(), directory.resolve("warden.yaml"));

        assertThat(config.listeners()).isUnmodifiable();
        assertThat(config.targets()).isUnmodifiable();
        assertThat(config.identities()).isUnmodifiable();
    }
}
