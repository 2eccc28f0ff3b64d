package dev.warden.approval;

import static java.util.Objects.requireNonNull;

/** A decision the approval service refused, with a message fit for the person who tried. */
public final class ApprovalException extends Exception {
    /** Why, in the terms of the REST API's status codes. */
    public enum Problem {
        /** The request is not (or no longer) known here. */
        NOT_FOUND(404),
        /** The caller may not decide this request (its own, or not a named approver). */
        FORBIDDEN(403),
        /** The request is already decided, expired, or is not the statement the caller saw. */
        CONFLICT(409),
        /** The input itself is wrong (a missing or malformed reason). */
        INVALID(400),
        /** Too many requests are pending; new ones are refused rather than queued without bound. */
        UNAVAILABLE(503);

        private final int httpStatus;

        Problem(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Problem problem;

    public ApprovalException(Problem problem, String message) {
        super(message, null, false, false);
        this.problem = requireNonNull(problem, "problem is null");
    }

    public Problem problem() {
        return problem;
    }
}
