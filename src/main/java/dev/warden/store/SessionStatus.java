package dev.warden.store;

/** Whether a session has ended, as a filter of {@link SessionQuery}. */
public enum SessionStatus {
    /** No SESSION_END record yet. */
    ACTIVE,
    /** A SESSION_END record has been stored. */
    ENDED
}
