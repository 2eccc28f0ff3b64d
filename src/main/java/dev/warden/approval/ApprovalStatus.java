package dev.warden.approval;

/** Where an approval request stands. Every state but {@link #PENDING} is final. */
public enum ApprovalStatus {
    PENDING,
    APPROVED,
    DENIED,
    /** Nobody decided within the rule's timeout. */
    EXPIRED,
    /** The requester went away (disconnected or cancelled) before a decision. */
    VOIDED;

    public boolean isFinal() {
        return this != PENDING;
    }

    /** The word used in records, payloads and the REST API. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
