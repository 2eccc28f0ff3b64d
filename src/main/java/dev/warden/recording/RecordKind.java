package dev.warden.recording;

/** What one entry of a session's record stream says. */
public enum RecordKind {
    /** Who connected, how, to which target (identity, auth method, groups, client, TLS, application_name). */
    SESSION_START,
    /** A statement about to be forwarded (or refused): text, parameters, protocol path, decision, intent. */
    STATEMENT,
    /** Result rows as the client saw them, up to the configured cap, with a truncation marker. */
    RESULT,
    /** How a statement ended: command tag, rows, timing, or the error as the client saw it. */
    COMPLETION,
    /** An approval step (requested, approved, denied, expired, voided). */
    APPROVAL,
    /** A signed statement of the chain head so far, so truncation and rewriting are detectable. */
    CHECKPOINT,
    /** The session ended, and why. */
    SESSION_END
}
