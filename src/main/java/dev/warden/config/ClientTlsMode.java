package dev.warden.config;

import java.util.Locale;

/** Whether a listener offers TLS to clients that send an SSLRequest, and whether it insists on it. */
public enum ClientTlsMode {
    /** SSLRequest is answered with 'N': the client continues in plain text or gives up. */
    OFF,
    /** TLS is offered; clients that do not ask for it may still connect in plain text. */
    OPTIONAL,
    /** A client that does not negotiate TLS is refused before it can send a password. */
    REQUIRED;

    /** The spelling in the configuration file. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
