package dev.warden.protocol.pg;

/** A peer broke the wire protocol: the connection that sent it is closed, nothing else. */
public final class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }
}
