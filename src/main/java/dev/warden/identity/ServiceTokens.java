package dev.warden.identity;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.util.Base64;

/** Gateway-issued secrets that a client presents as its password and Warden keeps only as a {@link ScramVerifier}. */
public final class ServiceTokens {

    /** Lets secret scanners (GitHub, gitleaks, trufflehog custom rules) recognise a leaked token. */
    public static final String PREFIX = "wdn_";

    /** 256 bits: far beyond guessing, so the 4096 SCRAM iterations are not what protects the token. */
    private static final int RANDOM_BYTES = 32;

    private ServiceTokens() {}

    /** A public handle for listing and revoking a stored token: random, so that it says nothing about the token. */
    public static String newId(SecureRandom random) {
        byte[] bytes = new byte[6];
        random.nextBytes(bytes);
        return "tok_" + java.util.HexFormat.of().formatHex(bytes);
    }

    public static String newToken(SecureRandom random) {
        requireNonNull(random, "random is null");
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        // URL-safe and unpadded so the token survives connection URIs, shells and .pgpass unquoted.
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
