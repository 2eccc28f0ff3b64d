package dev.warden.proxy;

import static java.util.Objects.requireNonNull;

import dev.warden.identity.AuthenticationMethod;
import dev.warden.identity.Identity;
import dev.warden.identity.ServiceToken;
import java.util.Optional;

/**
 * Who a client turned out to be, and how it proved it.
 *
 * @param serviceToken the stored token it logged in with, which scopes its targets and whose
 *     revocation ends its session; empty for configured identities and OIDC
 */
record AuthenticatedClient(Identity identity, AuthenticationMethod method, Optional<ServiceToken> serviceToken) {

    AuthenticatedClient {
        requireNonNull(identity, "identity is null");
        requireNonNull(method, "method is null");
        requireNonNull(serviceToken, "serviceToken is null");
    }

    static AuthenticatedClient configured(Identity identity) {
        return new AuthenticatedClient(identity, AuthenticationMethod.SCRAM_SHA_256, Optional.empty());
    }

    static AuthenticatedClient withServiceToken(ServiceToken token) {
        return new AuthenticatedClient(token.identity(), AuthenticationMethod.SERVICE_TOKEN, Optional.of(token));
    }
}
