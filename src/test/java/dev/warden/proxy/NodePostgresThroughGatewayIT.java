package dev.warden.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.testing.GatewayFixture;
import dev.warden.testing.ProcessResult;
import dev.warden.testing.ProcessRunner;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * node-postgres (the {@code pg} package) through the gateway: a script with parameterised queries,
 * a named statement, transactions, errors, a multi-statement simple query and LISTEN/NOTIFY prints
 * the same JSON through Warden as against PostgreSQL.
 *
 * <p>Needs {@code node} and {@code npm} and the npm registry (to install {@code pg@8} under
 * {@code target/}); skipped when any of them is missing.
 */
class NodePostgresThroughGatewayIT {
    private static final Path WORK = Path.of("target", "node-clients");

    private static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(ProcessRunner.available("node") && ProcessRunner.available("npm"),
                "node and npm are not installed");
        Files.createDirectories(WORK);
        try (InputStream script = NodePostgresThroughGatewayIT.class.getResourceAsStream("/clients/node-pg.js")) {
            Files.copy(script, WORK.resolve("node-pg.js"), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(WORK.resolve("node_modules").resolve("pg"))) {
            ProcessResult install = ProcessRunner.program("npm")
                    .args("install", "pg@8", "--no-audit", "--no-fund", "--no-save", "--prefix", WORK.toAbsolutePath())
                    .timeout(Duration.ofMinutes(3))
                    .run();
            Assumptions.assumeTrue(install.exitCode() == 0, () -> "npm install pg@8 failed: " + install.stderr());
        }
        gateway = GatewayFixture.start();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void theScriptPrintsTheSameThroughTheGatewayAsDirectly() throws Exception {
        ProcessResult direct = node(gateway.directLibpqUri());
        ProcessResult throughGateway = node(gateway.libpqUri());

        assertThat(direct.exitCode()).as(direct.stderr()).isZero();
        assertThat(direct.stdout()).contains("\"code\": \"23505\"", "\"code\": \"25P02\"", "\"code\": \"22012\"",
                "\"payload\": \"hello from node\"", "\"bodies\": \"first,third\"");
        assertThat(throughGateway.exitCode()).as(throughGateway.stderr()).isZero();
        assertThat(throughGateway.stdout()).isEqualTo(direct.stdout());
        assertThat(throughGateway.stderr()).isEqualTo(direct.stderr());
    }

    private static ProcessResult node(String databaseUrl) throws Exception {
        return ProcessRunner.program("node")
                .args(WORK.resolve("node-pg.js").toAbsolutePath())
                .env("DATABASE_URL", databaseUrl)
                .env("TZ", "UTC")
                .timeout(Duration.ofSeconds(60))
                .run();
    }
}
