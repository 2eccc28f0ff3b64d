package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code warden approve} and {@code warden deny}: one decision on one held statement. */
abstract class DecideCommand extends ControlCall {
    @Parameters(paramLabel = "ID", description = "the approval request (apr_...), as shown by warden approvals")
    String id;

    abstract String verb();

    abstract ObjectNode body();

    @Override
    ControlApiClient.Response send(ControlApiClient client) throws ControlApiClient.UnreachableException {
        String checked = checkedId(id, "an approval request id: use the id warden approvals shows (apr_...)");
        return client.post("/api/v1/approvals/" + checked + "/" + verb(), body());
    }

    @Override
    void success(JsonNode approval, PrintWriter out) {
        String status = approval.path("status").asText();
        int missing = approval.path("approvals_missing").asInt(0);
        out.println(id + ": " + status + ("pending".equals(status) && missing > 0
                ? " (your approval is counted; " + missing + " more needed)" : "")
                + " - " + ApprovalsCommand.oneLine(approval.path("statement").asText()));
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
