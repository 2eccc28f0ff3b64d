package dev.warden.masking;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC-SHA-256 key of the hash strategy. Never printed (toString says nothing about it). Keeps
 * one initialised Mac, so it is not thread-safe: each session resolves its own.
 */
public final class MaskingKey {
    private final SecretKeySpec key;
    private Mac mac;

    public MaskingKey(String secret) {
        if (secret.length() < 16) {
            throw new IllegalArgumentException("the masking key must be at least 16 characters long");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /**
     * HMAC-SHA-256 of the value. Not salted per column on purpose: the same e-mail address in two
     * masked columns hashes alike, so a client can still join them.
     */
    byte[] hash(byte[] value) {
        try {
            if (mac == null) {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
            }
            return mac.doFinal(value);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "MaskingKey[hidden]";
    }
}
