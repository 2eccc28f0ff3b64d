package dev.warden.control;

/**
 * A SAML login that does not hold. The reason is for the person (it names what failed, never a
 * value from the response); the detail is for the gateway log (java-saml's own words, which may quote
 * issuers and ids, never the assertion or its attributes).
 */
final class SamlRefusedException extends Exception {
    private final int status;
    private final String detail;

    SamlRefusedException(int status, String reason, String detail) {
        super(reason);
        this.status = status;
        this.detail = detail;
    }

    SamlRefusedException(String reason, String detail) {
        this(400, reason, detail);
    }

    int status() {
        return status;
    }

    String detail() {
        return detail;
    }
}
