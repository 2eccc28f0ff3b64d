package dev.warden.masking;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Looks for sensitive values in bytes a client received, as they are and after the transforms a
 * client could ask the server for: digits only, upper and lower case, hex, base64, reversed, md5 and
 * sha256 in hex.
 */
final class LeakScanner {
    private final Map<String, String> needles = new LinkedHashMap<>();

    LeakScanner(List<String> sensitive) {
        for (String value : sensitive) {
            for (Map.Entry<String, String> variant : variants(value).entrySet()) {
                needles.putIfAbsent(variant.getValue(), variant.getKey() + " of " + value);
            }
        }
    }

    static Map<String, String> variants(String value) {
        Map<String, String> variants = new LinkedHashMap<>();
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        variants.put("raw", value);
        variants.put("upper", value.toUpperCase(Locale.ROOT));
        variants.put("lower", value.toLowerCase(Locale.ROOT));
        String digits = value.replaceAll("[^0-9]", "");
        if (digits.length() >= 6) {
            variants.put("digits", digits);
        }
        variants.put("hex", HexFormat.of().formatHex(utf8));
        variants.put("HEX", HexFormat.of().withUpperCase().formatHex(utf8));
        variants.put("base64", Base64.getEncoder().encodeToString(utf8));
        variants.put("reversed", new StringBuilder(value).reverse().toString());
        variants.put("md5", HexFormat.of().formatHex(digest("MD5", utf8)));
        variants.put("sha256", HexFormat.of().formatHex(digest("SHA-256", utf8)));
        return variants;
    }

    private static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Descriptions of every sensitive value (or transform) found in {@code received}. */
    List<String> leaks(byte[] received) {
        String text = new String(received, StandardCharsets.ISO_8859_1);
        // UTF-8 text read as Latin-1 keeps ASCII intact: every needle here is ASCII.
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, String> needle : needles.entrySet()) {
            if (text.contains(needle.getKey())) {
                found.add(needle.getValue());
            }
        }
        return found;
    }

    List<String> leaks(String received) {
        return leaks(received.getBytes(StandardCharsets.UTF_8));
    }
}
