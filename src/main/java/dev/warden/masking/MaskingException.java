package dev.warden.masking;

/** A value or message masking cannot read; the caller fails closed (the result never reaches the client). */
public final class MaskingException extends RuntimeException {
    public MaskingException(String message) {
        super(message);
    }
}
