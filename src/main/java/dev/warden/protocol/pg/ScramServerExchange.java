package dev.warden.protocol.pg;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The server side of one SCRAM-SHA-256 exchange (RFC 5802 as PostgreSQL implements it). Like
 * PostgreSQL, the user name inside the SCRAM message is ignored: the startup packet names the user.
 * Only SCRAM-SHA-256 is advertised (no -PLUS), so a client may send gs2 flag 'n' or 'y', never 'p'.
 */
public final class ScramServerExchange {
    private static final Base64.Encoder BASE64 = Base64.getEncoder();
    private static final Base64.Decoder BASE64_DECODER = Base64.getDecoder();

    private final int iterations;
    private final byte[] salt;
    private final byte[] storedKey;
    private final byte[] serverKey;
    private final SecureRandom random;

    private String clientFirstBare;
    private String gs2Header;
    private String serverFirst;
    private String combinedNonce;

    public ScramServerExchange(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey, SecureRandom random) {
        this.iterations = iterations;
        this.salt = requireNonNull(salt, "salt is null").clone();
        this.storedKey = requireNonNull(storedKey, "storedKey is null").clone();
        this.serverKey = requireNonNull(serverKey, "serverKey is null").clone();
        this.random = requireNonNull(random, "random is null");
    }

    /** Handles client-first-message; returns server-first-message. */
    public byte[] handleClientFirst(byte[] message) {
        String text = new String(message, StandardCharsets.UTF_8);
        // gs2-header = gs2-cbind-flag "," [ authzid ] ","
        int firstComma = text.indexOf(',');
        int secondComma = firstComma < 0 ? -1 : text.indexOf(',', firstComma + 1);
        if (firstComma < 0 || secondComma < 0) {
            throw new ScramException("malformed SCRAM client-first-message");
        }
        String flag = text.substring(0, firstComma);
        if (!flag.equals("n") && !flag.equals("y")) {
            throw new ScramException("channel binding was requested but SCRAM-SHA-256-PLUS is not offered");
        }
        if (secondComma != firstComma + 1) {
            throw new ScramException("SCRAM authorization identities are not supported");
        }
        gs2Header = text.substring(0, secondComma + 1);
        clientFirstBare = text.substring(secondComma + 1);
        String clientNonce = attribute(clientFirstBare, 'r');
        if (clientNonce == null || clientNonce.isEmpty()) {
            throw new ScramException("SCRAM client-first-message has no nonce");
        }
        byte[] serverNonce = new byte[18];
        random.nextBytes(serverNonce);
        combinedNonce = clientNonce + BASE64.encodeToString(serverNonce);
        serverFirst = "r=" + combinedNonce + ",s=" + BASE64.encodeToString(salt) + ",i=" + iterations;
        return serverFirst.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Verifies client-final-message.
     *
     * @return server-final-message when the proof is right
     * @throws ScramException when the proof is wrong or the message is malformed
     */
    public byte[] handleClientFinal(byte[] message) {
        if (serverFirst == null) {
            throw new ScramException("SCRAM client-final-message before client-first-message");
        }
        String text = new String(message, StandardCharsets.UTF_8);
        int proofStart = text.lastIndexOf(",p=");
        if (proofStart < 0) {
            throw new ScramException("SCRAM client-final-message has no proof");
        }
        String withoutProof = text.substring(0, proofStart);
        String channelBinding = attribute(withoutProof, 'c');
        String nonce = attribute(withoutProof, 'r');
        if (channelBinding == null || !channelBinding.equals(BASE64.encodeToString(gs2Header.getBytes(StandardCharsets.UTF_8)))) {
            throw new ScramException("SCRAM channel binding check failed");
        }
        if (!combinedNonce.equals(nonce)) {
            throw new ScramException("SCRAM nonce mismatch");
        }
        byte[] proof;
        try {
            proof = BASE64_DECODER.decode(text.substring(proofStart + 3));
        } catch (IllegalArgumentException e) {
            throw new ScramException("malformed SCRAM proof");
        }
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] clientSignature = ScramPrimitives.hmac(storedKey, authMessage);
        if (proof.length != clientSignature.length) {
            throw new ScramException("malformed SCRAM proof");
        }
        byte[] clientKey = ScramPrimitives.xor(proof, clientSignature);
        // Constant time: a timing difference must not reveal how much of the key matched.
        if (!MessageDigest.isEqual(ScramPrimitives.sha256(clientKey), storedKey)) {
            throw new ScramException("password authentication failed");
        }
        byte[] serverSignature = ScramPrimitives.hmac(serverKey, authMessage);
        return ("v=" + BASE64.encodeToString(serverSignature)).getBytes(StandardCharsets.UTF_8);
    }

    /** Value of a one-letter attribute in a comma-separated SCRAM message, or null. */
    static String attribute(String message, char name) {
        for (String part : message.split(",", -1)) {
            if (part.length() >= 2 && part.charAt(0) == name && part.charAt(1) == '=') {
                return part.substring(2);
            }
        }
        return null;
    }
}
