package dev.warden.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TestScramVerifier {

    /** Written by PostgreSQL 15 for {@code CREATE ROLE ... PASSWORD 'pencil'} with password_encryption = scram-sha-256. */
    private static final String POSTGRES_VERIFIER_FOR_PENCIL = "SCRAM-SHA-256$4096:84rfW1JGTHyOA/XO/U/Xrg==$"
            + "yl7h6FsKm4JeyrM7s5dELI3aWGnWJJqdw9LFs62M4y0=:LrnjLleO7051F8PdHl4x1FP8X8DZXh1GpSYZdXTK+CU=";

    // RFC 7677 section 3: the SCRAM-SHA-256 exchange for user "user", password "pencil".
    private static final byte[] RFC_SALT = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
    private static final String RFC_AUTH_MESSAGE = "n=user,r=rOprNGfwEbeRWgbNEkqO,"
            + "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,"
            + "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final String RFC_CLIENT_PROOF = "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private static final String RFC_SERVER_SIGNATURE = "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    @Test
    void derivesWhatPostgresStores() {
        ScramVerifier fromPostgres = ScramVerifier.parse(POSTGRES_VERIFIER_FOR_PENCIL);

        ScramVerifier derived = ScramVerifier.derive("pencil", fromPostgres.salt(), fromPostgres.iterations());

        assertThat(derived).isEqualTo(fromPostgres);
        assertThat(derived.encode()).isEqualTo(POSTGRES_VERIFIER_FOR_PENCIL);
    }

    @Test
    void reproducesRfc7677ServerSignature() throws Exception {
        ScramVerifier verifier = ScramVerifier.derive("pencil", RFC_SALT, 4096);

        byte[] serverSignature = hmac(verifier.serverKey(), RFC_AUTH_MESSAGE);

        assertThat(Base64.getEncoder().encodeToString(serverSignature)).isEqualTo(RFC_SERVER_SIGNATURE);
    }

    @Test
    void acceptsRfc7677ClientProof() throws Exception {
        ScramVerifier verifier = ScramVerifier.derive("pencil", RFC_SALT, 4096);

        // The server's check: ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage); H(ClientKey) == StoredKey.
        byte[] proof = Base64.getDecoder().decode(RFC_CLIENT_PROOF);
        byte[] clientSignature = hmac(verifier.storedKey(), RFC_AUTH_MESSAGE);
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
        }

        assertThat(MessageDigest.getInstance("SHA-256").digest(clientKey)).isEqualTo(verifier.storedKey());
    }

    @Test
    void matchesKeysComputedIndependently() throws Exception {
        ScramVerifier verifier = ScramVerifier.derive("pencil", RFC_SALT, 4096);

        SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        byte[] salted = pbkdf2.generateSecret(new PBEKeySpec("pencil".toCharArray(), RFC_SALT, 4096, 256)).getEncoded();
        byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(hmac(salted, "Client Key"));
        byte[] serverKey = hmac(salted, "Server Key");

        assertThat(verifier.iterations()).isEqualTo(4096);
        assertThat(verifier.salt()).isEqualTo(RFC_SALT);
        assertThat(verifier.storedKey()).isEqualTo(storedKey);
        assertThat(verifier.serverKey()).isEqualTo(serverKey);
    }

    @Test
    void createUsesPostgresDefaultsAndFreshSalt() {
        SecureRandom random = new SecureRandom();

        ScramVerifier first = ScramVerifier.create("secret", random);
        ScramVerifier second = ScramVerifier.create("secret", random);

        assertThat(first.iterations()).isEqualTo(4096);
        assertThat(first.salt()).hasSize(16);
        assertThat(first.salt()).isNotEqualTo(second.salt());
        assertThat(first).isNotEqualTo(second);
        assertThat(first.matches("secret")).isTrue();
        assertThat(first.matches("Secret")).isFalse();
    }

    @Test
    void encodeAndParseRoundTrip() {
        ScramVerifier verifier = ScramVerifier.create("secret", new SecureRandom());

        ScramVerifier parsed = ScramVerifier.parse(verifier.encode());

        assertThat(parsed).isEqualTo(verifier);
        assertThat(parsed.hashCode()).isEqualTo(verifier.hashCode());
    }

    @Test
    void toStringHidesKeys() {
        ScramVerifier verifier = ScramVerifier.parse(POSTGRES_VERIFIER_FOR_PENCIL);

        assertThat(verifier).hasToString("ScramVerifier[iterations=4096]");
    }

    @Test
    void isImmutable() {
        ScramVerifier verifier = ScramVerifier.parse(POSTGRES_VERIFIER_FOR_PENCIL);

        verifier.salt()[0] ^= 1;
        verifier.storedKey()[0] ^= 1;

        assertThat(verifier.encode()).isEqualTo(POSTGRES_VERIFIER_FOR_PENCIL);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "pencil",
        "md5d8578edf8458ce06fbc5bb76a58c5ca4",
        "SCRAM-SHA-1$4096:84rfW1JGTHyOA/XO/U/Xrg==$yl7h6FsKm4JeyrM7s5dELI3aWGnWJJqdw9LFs62M4y0=:LrnjLleO7051F8PdHl4x1FP8X8DZXh1GpSYZdXTK+CU=",
        "SCRAM-SHA-256$0:84rfW1JGTHyOA/XO/U/Xrg==$yl7h6FsKm4JeyrM7s5dELI3aWGnWJJqdw9LFs62M4y0=:LrnjLleO7051F8PdHl4x1FP8X8DZXh1GpSYZdXTK+CU=",
        "SCRAM-SHA-256$-1:84rfW1JGTHyOA/XO/U/Xrg==$yl7h6FsKm4JeyrM7s5dELI3aWGnWJJqdw9LFs62M4y0=:LrnjLleO7051F8PdHl4x1FP8X8DZXh1GpSYZdXTK+CU=",
        "SCRAM-SHA-256$99999999999:84rfW1JGTHyOA/XO/U/Xrg==$yl7h6FsKm4JeyrM7s5dELI3aWGnWJJqdw9LFs62M4y0=:LrnjLleO7051F8PdHl4x1FP8X8DZXh1GpSYZdXTK+CU=",
        "SCRAM-SHA-256$4096:$yl7h6FsKm4JeyrM7s5dELI3aWGnWJJqdw9LFs62M4y0=:LrnjLleO7051F8PdHl4x1FP8X8DZXh1GpSYZdXTK+CU=",
        "SCRAM-SHA-256$4096:84rfW1JGTHyOA/XO/U/Xrg==$yl7h6FsKm4JeyrM7s5dELI3aWGnWJJqdw9LFs62M4y0=:LrnjLleO7051F8PdHl4x1FP8X8DZXh1GpSYZdXTK+CU",
        "SCRAM-SHA-256$4096:84rfW1JGTHyOA/XO/U/Xrg==$yl7h6FsKm4JeyrM7s5dELI3aWGnWJJqdw9LFs62M4y0=:TrnjLleO7051F8PdHl4x1FP8X8DZXh1GpSYZdXTK",
        "SCRAM-SHA-256$4096:84rf*W1JGTHyOA/XO/U/Xrg==$yl7h6FsKm4JeyrM7s5dELI3aWGnWJJqdw9LFs62M4y0=:LrnjLleO7051F8PdHl4x1FP8X8DZXh1GpSYZdXTK+CU=",
        "SCRAM-SHA-256$4096:84rfW1JGTHyOA/XO/U/Xrg==$yl7h6FsKm4JeyrM7s5dELI3aWGnWJJqdw9LFs62M4y0=",
        " SCRAM-SHA-256$4096:84rfW1JGTHyOA/XO/U/Xrg==$yl7h6FsKm4JeyrM7s5dELI3aWGnWJJqdw9LFs62M4y0=:LrnjLleO7051F8PdHl4x1FP8X8DZXh1GpSYZdXTK+CU=",
    })
    void rejectsMalformedVerifierWithoutEchoingIt(String text) {
        assertThatThrownBy(() -> ScramVerifier.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SCRAM-SHA-256")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("84rf", "yl7h", "Lrnj", "pencil", "md5d"));
    }

    private static byte[] hmac(byte[] key, String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(message.getBytes(StandardCharsets.US_ASCII));
    }
}
