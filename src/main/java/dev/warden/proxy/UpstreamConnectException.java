package dev.warden.proxy;

import dev.warden.protocol.pg.PgError;

/** The upstream connection could not be made; carries the error the client is to see. */
final class UpstreamConnectException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient PgError clientError;

    UpstreamConnectException(PgError clientError, String logMessage) {
        super(logMessage);
        this.clientError = clientError;
    }

    PgError clientError() {
        return clientError;
    }
}
