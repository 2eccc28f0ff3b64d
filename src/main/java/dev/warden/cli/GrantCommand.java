package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.recording.TextTable;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "grant",
        description = "Time-boxed grants: let an identity or group run what a require_approval rule holds, for a while.",
        subcommands = {GrantCommand.Create.class, GrantCommand.ListGrants.class, GrantCommand.Revoke.class})
final class GrantCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: create, list or revoke");
    }

    static final class Grantee {
        @Option(names = "--identity", paramLabel = "NAME", required = true, description = "the identity it is for")
        String identity;

        @Option(names = "--group", paramLabel = "GROUP", required = true, description = "the group it is for")
        String group;
    }

    @Command(name = "create", description = "Create a grant (shown with its id; revoke it with warden grant revoke ID).",
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:created", "2:usage error", "5:the control plane refused", "6:the control plane is unreachable"})
    static final class Create extends ControlCall {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Grantee grantee;

        @Option(names = "--target", paramLabel = "NAME", required = true, description = "the target it applies to")
        String target;

        @Option(names = "--rule", paramLabel = "RULE", required = true, description = "the require_approval rule it lifts")
        String rule;

        @Option(names = "--for", paramLabel = "DURATION", required = true, description = "how long: 30m, 2h, 1d (at most 7d)")
        String duration;

        @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "why (recorded)")
        String reason;

        @Override
        ControlApiClient.Response send(ControlApiClient client) throws ControlApiClient.UnreachableException {
            ObjectNode body = ControlApiClient.JSON.createObjectNode();
            if (grantee.identity != null) {
                body.put("identity", grantee.identity);
            } else {
                body.put("group", grantee.group);
            }
            body.put("target", target).put("rule", rule).put("duration", duration).put("reason", reason);
            return client.post("/api/v1/grants", body);
        }

        @Override
        void success(JsonNode grant, PrintWriter out) {
            out.println(grant.get("id").asText() + ": " + describe(grant) + " until " + grant.get("expires_at").asText());
        }
    }

    @Command(name = "list", description = "List active grants (--all: revoked and recently expired ones too).",
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:listed", "2:usage error", "5:the control plane refused", "6:the control plane is unreachable"})
    static final class ListGrants extends ControlCall {
        @Option(names = "--all", description = "include revoked and recently expired grants")
        boolean all;

        @Override
        ControlApiClient.Response send(ControlApiClient client) throws ControlApiClient.UnreachableException {
            return client.get("/api/v1/grants" + (all ? "?all=true" : ""));
        }

        @Override
        void success(JsonNode body, PrintWriter out) {
            JsonNode grants = body.path("grants");
            if (grants.isEmpty()) {
                out.println("No grants.");
                return;
            }
            TextTable table = TextTable.leftAligned(List.of("id", "for", "target", "rule", "expires", "by", "revoked", "reason"));
            for (JsonNode grant : grants) {
                table.addRow(List.of(grant.get("id").asText(), grantee(grant), grant.get("target").asText(),
                        grant.get("rule").asText(), grant.get("expires_at").asText(), grant.get("created_by").asText(),
                        grant.path("revoked_by").isTextual() ? "by " + grant.get("revoked_by").asText() : "",
                        ApprovalsCommand.oneLine(grant.get("reason").asText())));
            }
            table.print(out, "");
        }
    }

    @Command(name = "revoke", description = "Revoke a grant: statements it let through need approval again at once.",
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:revoked", "2:usage error", "5:the control plane refused", "6:the control plane is unreachable"})
    static final class Revoke extends ControlCall {
        @Parameters(paramLabel = "ID", description = "the grant (grt_...)")
        String id;

        @Override
        ControlApiClient.Response send(ControlApiClient client) throws ControlApiClient.UnreachableException {
            String checked = checkedId(id, "a grant id: use the id warden grant list shows (grt_...)");
            return client.post("/api/v1/grants/" + checked + "/revoke", ControlApiClient.JSON.createObjectNode());
        }

        @Override
        void success(JsonNode grant, PrintWriter out) {
            out.println(grant.get("id").asText() + ": revoked (" + describe(grant) + ")");
        }
    }

    private static String grantee(JsonNode grant) {
        return grant.path("identity").isTextual() ? "identity " + grant.get("identity").asText()
                : "group " + grant.path("group").asText();
    }

    private static String describe(JsonNode grant) {
        return grantee(grant) + " may run rule " + grant.get("rule").asText() + " on " + grant.get("target").asText();
    }
}
