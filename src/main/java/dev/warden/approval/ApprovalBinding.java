package dev.warden.approval;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The hash that ties an approval to one statement: who asked, where, what text, with which values.
 * Every part is length-prefixed so that no two different statements can be made to hash alike by
 * moving text between fields.
 */
public final class ApprovalBinding {
    private ApprovalBinding() {}

    public static String of(String requester, String target, String statement, List<String> parameters) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        update(sha256, "warden-approval-binding-v1");
        update(sha256, requester);
        update(sha256, target);
        update(sha256, statement);
        update(sha256, Integer.toString(parameters.size()));
        for (String parameter : parameters) {
            update(sha256, parameter == null ? "\u0000null" : parameter);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static void update(MessageDigest digest, String part) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        digest.update(new byte[] {(byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16), (byte) (bytes.length >>> 8),
                (byte) bytes.length});
        digest.update(bytes);
    }
}
