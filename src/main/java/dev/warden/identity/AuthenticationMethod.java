package dev.warden.identity;

/** How a client proved who it is; recorded with every session. */
public enum AuthenticationMethod {
    /** SCRAM-SHA-256 against a verifier from the configuration file. */
    SCRAM_SHA_256("scram-sha-256"),
    /** SCRAM-SHA-256 against a service token kept in the store (expiring, scoped, revocable). */
    SERVICE_TOKEN("service-token"),
    /** An OIDC access token sent as the password over TLS. */
    OIDC("oidc");

    private final String recordName;

    AuthenticationMethod(String recordName) {
        this.recordName = recordName;
    }

    /** The spelling in SESSION_START records and the sessions index. */
    public String recordName() {
        return recordName;
    }
}
