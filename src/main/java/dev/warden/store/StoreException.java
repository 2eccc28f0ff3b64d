package dev.warden.store;

/**
 * The record store could not do what was asked. Messages name the store and the operation, never a
 * credential: the password given to {@link StoreLocation.Postgres} appears in no message.
 */
public class StoreException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean rejected;

    public StoreException(String message) {
        this(message, null, false);
    }

    public StoreException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private StoreException(String message, Throwable cause, boolean rejected) {
        super(message, cause);
        this.rejected = rejected;
    }

    /**
     * The store is fine but refused this data (a record that conflicts with a stored one, a
     * SESSION_START without an identity): retrying the same records cannot succeed, and other
     * batches written in the same transaction are not at fault.
     */
    public static StoreException rejected(String message) {
        return new StoreException(message, null, true);
    }

    public static StoreException rejected(String message, Throwable cause) {
        return new StoreException(message, cause, true);
    }

    public boolean isRejected() {
        return rejected;
    }
}
