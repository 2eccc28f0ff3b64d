package dev.warden.identity;

import java.util.Optional;

/**
 * An access token that was not accepted. The message is for the gateway log and never contains the
 * token. {@link #clientReason()} is set only for tokens whose signature checked out: then the holder
 * learns why its own genuine token failed (expired, wrong audience) without anyone learning anything
 * about the gateway from a forged one.
 */
public final class InvalidAccessTokenException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String clientReason;
    private final boolean issuerUnavailable;

    private InvalidAccessTokenException(String message, String clientReason, boolean issuerUnavailable, Throwable cause) {
        super(message, cause, false, false);
        this.clientReason = clientReason;
        this.issuerUnavailable = issuerUnavailable;
    }

    /** A token that is malformed, forged, or from a key or issuer the gateway does not trust. */
    static InvalidAccessTokenException untrusted(String message) {
        return new InvalidAccessTokenException(message, null, false, null);
    }

    /** A genuine token whose claims do not admit it here. */
    static InvalidAccessTokenException rejectedClaims(String message, String clientReason) {
        return new InvalidAccessTokenException(message, clientReason, false, null);
    }

    /** The issuer's discovery document or keys cannot be fetched now: no token can be checked. */
    static InvalidAccessTokenException issuerUnavailable(String message, Throwable cause) {
        return new InvalidAccessTokenException(message, null, true, cause);
    }

    /** The token may be fine: the issuer's discovery document or keys could not be fetched. */
    public boolean issuerUnavailable() {
        return issuerUnavailable;
    }

    public Optional<String> clientReason() {
        return Optional.ofNullable(clientReason);
    }
}
