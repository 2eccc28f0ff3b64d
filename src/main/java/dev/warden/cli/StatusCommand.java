package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code warden status}: is the gateway's control plane up, and what waits for people. */
@Command(
        name = "status",
        description = "Show whether a running gateway answers, and how many statements wait for approval and how many grants stand.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the gateway answers", "2:usage error", "5:the control plane refused", "6:the gateway does not answer"})
final class StatusCommand extends ControlCall {
    private int pending;
    private int grants;

    @Override
    ControlApiClient.Response send(ControlApiClient client) throws ControlApiClient.UnreachableException {
        ControlApiClient.Response health = client.get("/healthz");
        if (!health.ok()) {
            return health;
        }
        ControlApiClient.Response approvals = client.get("/api/v1/approvals?status=pending");
        if (!approvals.ok()) {
            return approvals;
        }
        pending = approvals.body().path("approvals").size();
        ControlApiClient.Response granted = client.get("/api/v1/grants");
        grants = granted.ok() ? granted.body().path("grants").size() : -1;
        return health;
    }

    @Override
    void success(JsonNode health, PrintWriter out) {
        out.println("gateway: " + health.path("status").asText("unknown"));
        out.println("statements waiting for approval: " + pending);
        out.println("active grants: " + (grants < 0 ? "(not visible to you)" : grants));
    }
}
