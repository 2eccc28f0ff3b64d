package dev.warden.store;

import static java.util.Objects.requireNonNull;

/**
 * An approval request as published for every node.
 *
 * @param node the gateway node holding the parked statement
 * @param request the request as JSON (what an approver sees)
 * @param status pending, approved, denied, expired or voided
 */
public record SharedApproval(String id, String node, String request, String status) {
    public SharedApproval {
        requireNonNull(id, "id is null");
        requireNonNull(node, "node is null");
        requireNonNull(request, "request is null");
        requireNonNull(status, "status is null");
    }
}
