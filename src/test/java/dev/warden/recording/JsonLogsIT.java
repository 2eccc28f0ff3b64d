package dev.warden.recording;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.testing.ProcessResult;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WARDEN_LOG_FORMAT=json: every line the gateway logs is one JSON object a log shipper can read. */
class JsonLogsIT {
    @TempDir
    Path directory;

    @Test
    void everyLogLineIsAJsonObjectWithLevelLoggerAndMessage() throws Exception {
        Files.writeString(directory.resolve("policy.yaml"), "targets:\n  \"*\": { default: deny }\nrules: []\n");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // The listener's port is taken, so the gateway logs its start-up and then gives up.
            Files.writeString(directory.resolve("warden.yaml"), """
                    listeners:
                      - { host: 127.0.0.1, port: %d }
                    targets:
                      - name: appdb
                        host: 127.0.0.1
                        credentials:
                          read_only: { user: x, password: env:WARDEN_TEST_UNSET_PASSWORD }
                    policy: policy.yaml
                    data_dir: data
                    """.formatted(taken.getLocalPort()));
            ProcessResult result = WardenJvm.command("start", "--config", directory.resolve("warden.yaml").toString())
                    .env("WARDEN_LOG_FORMAT", "json").timeout(Duration.ofSeconds(60)).run();
            assertThat(result.exitCode()).isNotZero();
            ObjectMapper json = new ObjectMapper();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : result.stderr().split("\n")) {
                if (line.startsWith("{")) {
                    lines.add(json.readTree(line));
                }
            }
            assertThat(lines).as(result.stderr()).isNotEmpty();
            assertThat(lines).allSatisfy(line -> {
                assertThat(line.get("level").asText()).isNotEmpty();
                assertThat(line.get("loggerName").asText()).isNotEmpty();
                assertThat(line.has("formattedMessage")).isTrue();
                assertThat(line.get("timestamp").asLong()).isPositive();
            });
            assertThat(lines).anySatisfy(line -> assertThat(line.get("formattedMessage").asText()).contains("recording to"));
            // Whatever else went to stderr is the CLI's own one-line verdict, not a log line in text.
            assertThat(result.stderr().lines().filter(line -> !line.startsWith("{")).toList())
                    .noneMatch(line -> line.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*"));
        }
    }
}
