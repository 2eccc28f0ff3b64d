package dev.warden.protocol.pg;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The client side of SCRAM-SHA-256, used by Warden to log in upstream with the held credential.
 * It never asks for channel binding (gs2 flag 'n'): with TLS verify-full the server is already
 * authenticated, and flag 'y' would be refused by a server that offers -PLUS over TLS.
 */
public final class ScramClientExchange {
    private static final String GS2_HEADER = "n,,";

    private final String password;
    private final String clientNonce;
    private String clientFirstBare;
    private byte[] expectedServerSignature;

    public ScramClientExchange(String password, SecureRandom random) {
        this.password = requireNonNull(password, "password is null");
        byte[] nonce = new byte[18];
        random.nextBytes(nonce);
        this.clientNonce = Base64.getEncoder().encodeToString(nonce);
    }

    public String clientFirstMessage() {
        // The user name is ignored by PostgreSQL (it uses the startup packet's), as libpq sends it empty.
        clientFirstBare = "n=,r=" + clientNonce;
        return GS2_HEADER + clientFirstBare;
    }

    public String clientFinalMessage(byte[] serverFirstMessage) {
        String serverFirst = new String(serverFirstMessage, StandardCharsets.UTF_8);
        String nonce = ScramServerExchange.attribute(serverFirst, 'r');
        String saltText = ScramServerExchange.attribute(serverFirst, 's');
        String iterationText = ScramServerExchange.attribute(serverFirst, 'i');
        if (nonce == null || saltText == null || iterationText == null || !nonce.startsWith(clientNonce)) {
            throw new ScramException("upstream sent a malformed SCRAM server-first-message");
        }
        int iterations;
        byte[] salt;
        try {
            iterations = Integer.parseInt(iterationText);
            salt = Base64.getDecoder().decode(saltText);
        } catch (IllegalArgumentException e) {
            throw new ScramException("upstream sent a malformed SCRAM server-first-message");
        }
        if (iterations < 1 || iterations > 10_000_000) {
            throw new ScramException("upstream asked for an unreasonable SCRAM iteration count");
        }
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(GS2_HEADER.getBytes(StandardCharsets.UTF_8))
                + ",r=" + nonce;
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] saltedPassword = SaltedPasswords.of(password, salt, iterations);
        byte[] clientKey = ScramPrimitives.clientKey(saltedPassword);
        byte[] clientSignature = ScramPrimitives.hmac(ScramPrimitives.sha256(clientKey), authMessage);
        byte[] proof = ScramPrimitives.xor(clientKey, clientSignature);
        expectedServerSignature = ScramPrimitives.hmac(ScramPrimitives.serverKey(saltedPassword), authMessage);
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    /** Checks the server's signature: proves the upstream also knows the credential. */
    public void verifyServerFinal(byte[] serverFinalMessage) {
        String text = new String(serverFinalMessage, StandardCharsets.UTF_8);
        String signature = ScramServerExchange.attribute(text, 'v');
        if (expectedServerSignature == null || signature == null) {
            throw new ScramException("upstream sent a malformed SCRAM server-final-message");
        }
        byte[] actual;
        try {
            actual = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            throw new ScramException("upstream sent a malformed SCRAM server-final-message");
        }
        if (!MessageDigest.isEqual(actual, expectedServerSignature)) {
            throw new ScramException("upstream SCRAM server signature is wrong");
        }
    }
}
