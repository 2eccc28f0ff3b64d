package dev.warden.proxy;

import dev.warden.protocol.pg.PgError;

/**
 * The decision point the relay consults before a statement reaches the server, one instance per
 * session. Each method returns null to let the statement run, or the error the client is to see
 * instead. Implementations run on the event loop: they must answer from memory.
 */
public interface StatementGate {

    /** A simple Query message: all of its statements, decided together (one refused, none runs). */
    PgError checkQuery(String sql);

    /**
     * An Execute of a portal.
     *
     * @param sql the text of the prepared statement behind the portal, or null when the gateway does
     *     not know it (then the answer must be a refusal: unknown is never safe)
     */
    PgError checkExecute(String sql);

    /** A FunctionCall message (the protocol's fast-path call) of the function with this OID. */
    PgError checkFunctionCall(int functionOid);
}
