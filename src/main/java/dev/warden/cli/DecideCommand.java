package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warden approve} and {@code warden deny}: one decision on one held statement. */
abstract class DecideCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Mixin
    ControlOptions control;

    @Parameters(paramLabel = "ID", description = "the approval request (apr_...), as shown by warden approvals")
    String id;

    abstract String verb();

    abstract ObjectNode body();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String name = spec.name();
        if (!id.matches("[A-Za-z0-9_]{1,64}")) {
            err.println("warden " + name + ": not an approval request id: use the id warden approvals shows (apr_...)");
            return ExitCode.USAGE.code();
        }
        ControlApiClient.Response response;
        try {
            response = control.client().post("/api/v1/approvals/" + id + "/" + verb(), body());
        } catch (IllegalArgumentException e) {
            err.println("warden " + name + ": " + e.getMessage());
            return ExitCode.USAGE.code();
        } catch (ControlApiClient.UnreachableException e) {
            err.println("warden " + name + ": " + e.getMessage());
            return ApprovalsCommand.UNREACHABLE;
        }
        if (!response.ok()) {
            err.println("warden " + name + ": " + response.error());
            return ApprovalsCommand.REFUSED;
        }
        JsonNode approval = response.body();
        String status = approval.path("status").asText();
        int missing = approval.path("approvals_missing").asInt(0);
        out.println(id + ": " + status + ("pending".equals(status) && missing > 0
                ? " (your approval is counted; " + missing + " more needed)" : "")
                + " - " + ApprovalsCommand.oneLine(approval.path("statement").asText()));
        return ExitCode.OK.code();
    }

    @Command(name = "approve", description = "Approve a held statement: it runs once, as it was sent.",
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:decided", "2:usage error", "5:the control plane refused", "6:the control plane is unreachable"})
    static final class Approve extends DecideCommand {
        @Option(names = "--reason", paramLabel = "TEXT", description = "why (recorded with the session)")
        String reason;

        @Option(names = "--binding", paramLabel = "SHA256",
                description = "the request's binding as you reviewed it: refuse if the statement is not that one")
        String binding;

        @Override
        String verb() {
            return "approve";
        }

        @Override
        ObjectNode body() {
            ObjectNode body = ControlApiClient.JSON.createObjectNode();
            body.put("reason", reason == null ? "" : reason);
            if (binding != null) {
                body.put("binding", binding);
            }
            return body;
        }
    }

    @Command(name = "deny", description = "Deny a held statement: the client gets an error naming you and your reason.",
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:decided", "2:usage error", "5:the control plane refused", "6:the control plane is unreachable"})
    static final class Deny extends DecideCommand {
        @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "why (the requester is told)")
        String reason;

        @Override
        String verb() {
            return "deny";
        }

        @Override
        ObjectNode body() {
            return ControlApiClient.JSON.createObjectNode().put("reason", reason);
        }
    }
}
