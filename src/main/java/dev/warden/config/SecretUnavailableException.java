package dev.warden.config;

/** A secret reference could not be resolved. The message names the reference, never a value. */
public final class SecretUnavailableException extends Exception {

    public SecretUnavailableException(String message) {
        super(message);
    }
}
