package dev.warden.approval;

import java.security.SecureRandom;

/**
 * Ids people read aloud and type: a prefix naming the kind ({@code apr_}, {@code grt_}) and twelve
 * characters of an alphabet without look-alikes (no l, o, 0, 1), 60 random bits.
 */
final class RequestIds {
    private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();
    private static final int LENGTH = 12;

    private RequestIds() {}

    static String next(String prefix, SecureRandom random) {
        StringBuilder id = new StringBuilder(prefix.length() + LENGTH).append(prefix);
        for (int i = 0; i < LENGTH; i++) {
            id.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return id.toString();
    }
}
