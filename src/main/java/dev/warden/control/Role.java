package dev.warden.control;

import io.javalin.security.RouteRole;

/** Who may call an endpoint of the control plane. Every endpoint declares at least one. */
public enum Role implements RouteRole {
    /** Anyone, without credentials (health checks only). */
    ANYONE,
    /** Runs the gateway: tokens, grants, policy. */
    ADMIN,
    /** Decides approval requests (the rule's named approvers, or holders of the role). */
    APPROVER,
    /** Reads sessions, records and decisions. */
    AUDITOR
}
