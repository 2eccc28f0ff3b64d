package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.recording.TextTable;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "approvals",
        description = "List statements waiting for approval (or recently decided ones).",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:listed", "2:usage error", "5:the control plane refused", "6:the control plane is unreachable"})
final class ApprovalsCommand implements Callable<Integer> {
    static final int REFUSED = 5;
    static final int UNREACHABLE = 6;
    private static final int STATEMENT_WIDTH = 60;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Mixin
    ControlOptions control;

    @Option(names = "--decided", description = "list recently decided requests instead of pending ones")
    boolean decided;

    @Option(names = "--json", description = "print the API's JSON")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ControlApiClient.Response response;
        try {
            response = control.client().get("/api/v1/approvals?status=" + (decided ? "decided" : "pending"));
        } catch (IllegalArgumentException e) {
            err.println("warden approvals: " + e.getMessage());
            return ExitCode.USAGE.code();
        } catch (ControlApiClient.UnreachableException e) {
            err.println("warden approvals: " + e.getMessage());
            return UNREACHABLE;
        }
        if (!response.ok()) {
            err.println("warden approvals: " + response.error());
            return REFUSED;
        }
        if (json) {
            out.println(response.body().toPrettyString());
            return ExitCode.OK.code();
        }
        JsonNode items = response.body().path("approvals");
        if (items.isEmpty()) {
            out.println(decided ? "No decided requests." : "No statements are waiting for approval.");
            return ExitCode.OK.code();
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
        return ExitCode.OK.code();
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
