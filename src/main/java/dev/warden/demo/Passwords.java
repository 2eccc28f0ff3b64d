package dev.warden.demo;

import java.security.SecureRandom;
import java.util.Base64;

/** Random passwords for roles that only Warden itself ever logs in as. */
public final class Passwords {
    // 192 bits; URL-safe Base64 so the value survives JDBC URLs, libpq strings and shells unquoted.
    private static final int BYTES = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Passwords() {}

    public static String generate() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
