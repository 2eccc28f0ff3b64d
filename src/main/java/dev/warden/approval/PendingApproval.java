package dev.warden.approval;

import java.util.concurrent.CompletableFuture;

/**
 * What the parked session holds: the request it made and the outcome it waits for. The future
 * completes on whichever thread decided (a REST thread, the expiry timer), never on the caller's.
 */
public record PendingApproval(ApprovalRequest request, CompletableFuture<ApprovalOutcome> outcome) {}
