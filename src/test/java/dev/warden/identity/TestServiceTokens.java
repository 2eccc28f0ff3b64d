package dev.warden.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TestServiceTokens {

    @Test
    void tokenIsPrefixedUrlSafeBase64Of32Bytes() {
        String token = ServiceTokens.newToken(new SecureRandom());

        assertThat(token).startsWith("wdn_").matches("wdn_[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(token.substring(4))).hasSize(32);
    }

    @Test
    void tokensDiffer() {
        SecureRandom random = new SecureRandom();

        assertThat(ServiceTokens.newToken(random)).isNotEqualTo(ServiceTokens.newToken(random));
    }
}
