package dev.warden.protocol.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.identity.ScramVerifier;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Warden's SCRAM server (client side of the gateway) against its SCRAM client (upstream side). */
class ScramExchangeTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TOKEN = "wdn_correct-horse-battery-staple";
    private static final ScramVerifier VERIFIER = ScramVerifier.create(TOKEN, RANDOM);

    private static ScramServerExchange server() {
        return new ScramServerExchange(VERIFIER.iterations(), VERIFIER.salt(), VERIFIER.storedKey(), VERIFIER.serverKey(),
                RANDOM);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theRightPasswordIsAcceptedAndTheServerProvesItKnowsTheVerifier() {
        ScramServerExchange server = server();
        ScramClientExchange client = new ScramClientExchange(TOKEN, RANDOM);
        byte[] serverFirst = server.handleClientFirst(utf8(client.clientFirstMessage()));
        assertThat(new String(serverFirst, StandardCharsets.UTF_8))
                .contains(",s=" + Base64.getEncoder().encodeToString(VERIFIER.salt()))
                .endsWith(",i=" + VERIFIER.iterations());
        byte[] serverFinal = server.handleClientFinal(utf8(client.clientFinalMessage(serverFirst)));
        client.verifyServerFinal(serverFinal);
    }

    @Test
    void aWrongPasswordIsRefused() {
        ScramServerExchange server = server();
        ScramClientExchange client = new ScramClientExchange(TOKEN + "x", RANDOM);
        byte[] serverFirst = server.handleClientFirst(utf8(client.clientFirstMessage()));
        String clientFinal = client.clientFinalMessage(serverFirst);
        assertThatThrownBy(() -> server.handleClientFinal(utf8(clientFinal))).isInstanceOf(ScramException.class);
    }

    @Test
    void aServerThatDoesNotKnowTheVerifierIsRefusedByTheClient() {
        // What an impostor upstream holding another verifier would sign with.
        ScramVerifier other = ScramVerifier.derive("other", VERIFIER.salt(), VERIFIER.iterations());
        ScramServerExchange real = server();
        ScramClientExchange client = new ScramClientExchange(TOKEN, RANDOM);
        byte[] serverFirst = real.handleClientFirst(utf8(client.clientFirstMessage()));
        String clientFinal = client.clientFinalMessage(serverFirst);
        real.handleClientFinal(utf8(clientFinal));
        String authMessage = client.clientFirstMessage().substring(3) + "," + new String(serverFirst, StandardCharsets.UTF_8)
                + "," + clientFinal.substring(0, clientFinal.lastIndexOf(",p="));
        byte[] forged = ("v=" + Base64.getEncoder().encodeToString(ScramPrimitives.hmac(other.serverKey(), authMessage)))
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> client.verifyServerFinal(forged)).isInstanceOf(ScramException.class);
    }

    @Test
    void aTamperedNonceIsRefused() {
        ScramServerExchange server = server();
        ScramClientExchange client = new ScramClientExchange(TOKEN, RANDOM);
        byte[] serverFirst = server.handleClientFirst(utf8(client.clientFirstMessage()));
        String clientFinal = client.clientFinalMessage(serverFirst);
        String nonce = ScramServerExchange.attribute(clientFinal, 'r');
        // A replayed or spliced exchange shows as a nonce the server did not issue.
        char last = nonce.charAt(nonce.length() - 1);
        String tampered = clientFinal.replace("r=" + nonce,
                "r=" + nonce.substring(0, nonce.length() - 1) + (last == 'A' ? 'B' : 'A'));
        assertThat(tampered).isNotEqualTo(clientFinal);
        assertThatThrownBy(() -> server.handleClientFinal(utf8(tampered)))
                .isInstanceOf(ScramException.class).hasMessageContaining("nonce");
    }

    @Test
    void aTamperedChannelBindingIsRefused() {
        ScramServerExchange server = server();
        ScramClientExchange client = new ScramClientExchange(TOKEN, RANDOM);
        byte[] serverFirst = server.handleClientFirst(utf8(client.clientFirstMessage()));
        String clientFinal = client.clientFinalMessage(serverFirst);
        // "y,," instead of the "n,," the client announced: a downgrade a man in the middle would try.
        String tampered = clientFinal.replace("c=biws", "c=" + Base64.getEncoder().encodeToString(utf8("y,,")));
        assertThat(tampered).isNotEqualTo(clientFinal);
        assertThatThrownBy(() -> server.handleClientFinal(utf8(tampered)))
                .isInstanceOf(ScramException.class).hasMessageContaining("channel binding");
    }

    @Test
    void channelBindingFlagPIsRefusedBecauseNoPlusMechanismIsOffered() {
        assertThatThrownBy(() -> server().handleClientFirst(utf8("p=tls-server-end-point,,n=,r=abcdefgh")))
                .isInstanceOf(ScramException.class).hasMessageContaining("PLUS");
    }

    @Test
    void malformedMessagesAreRefused() {
        assertThatThrownBy(() -> server().handleClientFirst(utf8("garbage"))).isInstanceOf(ScramException.class);
        assertThatThrownBy(() -> server().handleClientFirst(utf8("n,,n=,r="))).isInstanceOf(ScramException.class);
        assertThatThrownBy(() -> server().handleClientFirst(utf8("n,a=admin,n=,r=abc"))).isInstanceOf(ScramException.class);
        assertThatThrownBy(() -> server().handleClientFinal(utf8("c=biws,r=x,p=AAAA"))).isInstanceOf(ScramException.class);
        ScramServerExchange server = server();
        byte[] serverFirst = server.handleClientFirst(utf8("n,,n=,r=clientnonce"));
        String nonce = ScramServerExchange.attribute(new String(serverFirst, StandardCharsets.UTF_8), 'r');
        assertThatThrownBy(() -> server.handleClientFinal(utf8("c=biws,r=" + nonce + ",p=not base64!")))
                .isInstanceOf(ScramException.class);
        assertThatThrownBy(() -> server.handleClientFinal(utf8("c=biws,r=" + nonce + ",p=AAAA")))
                .isInstanceOf(ScramException.class);
        assertThatThrownBy(() -> server.handleClientFinal(utf8("c=biws,r=" + nonce))).isInstanceOf(ScramException.class);
    }

    /**
     * RFC 7677 section 3: user "user", password "pencil". The exchanges draw their own nonces, so
     * the vector is checked at the level of the keys and signatures they are built from.
     */
    @Test
    void rfc7677TestVector() {
        byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
        String clientFirstBare = "n=user,r=rOprNGfwEbeRWgbNEkqO";
        String serverFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
        String clientFinalWithoutProof = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        String authMessage = clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof;

        byte[] saltedPassword = ScramPrimitives.saltedPassword("pencil", salt, 4096);
        byte[] clientKey = ScramPrimitives.clientKey(saltedPassword);
        byte[] storedKey = ScramPrimitives.sha256(clientKey);
        byte[] proof = ScramPrimitives.xor(clientKey, ScramPrimitives.hmac(storedKey, authMessage));
        byte[] serverSignature = ScramPrimitives.hmac(ScramPrimitives.serverKey(saltedPassword), authMessage);
        assertThat(Base64.getEncoder().encodeToString(proof)).isEqualTo("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        assertThat(Base64.getEncoder().encodeToString(serverSignature))
                .isEqualTo("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");

        ScramVerifier verifier = ScramVerifier.derive("pencil", salt, 4096);
        assertThat(verifier.storedKey()).isEqualTo(storedKey);
        assertThat(verifier.serverKey()).isEqualTo(ScramPrimitives.serverKey(saltedPassword));
    }
}
