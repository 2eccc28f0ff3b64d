package dev.warden.config;

import static java.util.Objects.requireNonNull;

/** A database role the gateway logs in as; the password is only a reference, resolved when connecting. */
public record UpstreamCredential(String user, SecretReference password) {

    public UpstreamCredential {
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
    }
}
