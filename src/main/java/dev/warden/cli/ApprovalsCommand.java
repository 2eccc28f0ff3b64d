package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.recording.TextTable;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "approvals",
        description = "List statements waiting for approval (or recently decided ones).",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:listed", "2:usage error", "5:the control plane refused", "6:the control plane is unreachable"})
final class ApprovalsCommand extends ControlCall {
    private static final int STATEMENT_WIDTH = 60;

    @Option(names = "--decided", description = "list recently decided requests instead of pending ones")
    boolean decided;

    @Option(names = "--json", description = "print the API's JSON")
    boolean json;

    @Override
    ControlApiClient.Response send(ControlApiClient client) throws ControlApiClient.UnreachableException {
        return client.get("/api/v1/approvals?status=" + (decided ? "decided" : "pending"));
    }

    @Override
    void success(JsonNode body, PrintWriter out) {
        if (json) {
            out.println(body.toPrettyString());
            return;
        }
        JsonNode items = body.path("approvals");
        if (items.isEmpty()) {
            out.println(decided ? "No decided requests." : "No statements are waiting for approval.");
            return;
        }
        TextTable table = TextTable.leftAligned(List.of("id", "status", "requester", "target", "rule",
                decided ? "decided" : "waiting", "statement"));
        Instant now = Instant.now();
        for (JsonNode item : items) {
            String when = decided ? item.path("decided_at").asText("")
                    : waiting(Duration.between(Instant.parse(item.get("requested_at").asText()), now));
            table.addRow(List.of(item.get("id").asText(), item.get("status").asText(), item.get("requester").asText(),
                    item.get("target").asText(), item.get("rule").asText(), when, oneLine(item.get("statement").asText())));
        }
        table.print(out, "");
        if (!decided) {
            out.println();
            out.println("Decide with: warden approve ID [--reason TEXT]   or   warden deny ID --reason TEXT");
        }
    }

    static String oneLine(String statement) {
        String line = statement.strip().replaceAll("\\s+", " ");
        return line.length() <= STATEMENT_WIDTH ? line : line.substring(0, STATEMENT_WIDTH - 3) + "...";
    }

    private static String waiting(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        return seconds < 60 ? seconds + "s" : seconds / 60 + "m" + String.format("%02d", seconds % 60) + "s";
    }
}
