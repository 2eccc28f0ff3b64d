package dev.warden.protocol.pg;

/** A SCRAM exchange failed. Messages are for logs; clients get the generic 28P01 text. */
public final class ScramException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ScramException(String message) {
        super(message);
    }
}
