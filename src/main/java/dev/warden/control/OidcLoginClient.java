package dev.warden.control;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.warden.config.ControlConfig;
import dev.warden.config.OidcConfig;
import dev.warden.config.SecretUnavailableException;
import dev.warden.identity.AccessTokenClaims;
import dev.warden.identity.InvalidAccessTokenException;
import dev.warden.identity.VerifiedAccessToken;
import java.io.IOException;
import java.net.URI;
import java.net.URL;

/**
 * The control plane as an OIDC client: the authorization code flow with PKCE against the
 * {@code oidc:} issuer. The issuer's metadata is fetched on the first login (not at start, so an
 * issuer that is down does not stop the gateway). The ID token is checked (signature by the issuer's
 * keys, issuer, audience = our client id, expiry, nonce) and read with the same identity and groups
 * claims as database logins.
 */
final class OidcLoginClient {
    private static final int HTTP_TIMEOUT_MILLIS = 5_000;

    private final OidcConfig oidc;
    private final ControlConfig.WebLogin client;
    private final AccessTokenClaims claims;
    private volatile Provider provider;

    /** What login needs of the issuer, fetched once. */
    private record Provider(OIDCProviderMetadata metadata, IDTokenValidator validator) {}

    /** One login in progress: what the callback must match. Never leaves the server but for the state. */
    record Attempt(State state, Nonce nonce, CodeVerifier verifier, URI redirect) {}

    /** The issuer refused or failed, or what it returned does not hold. */
    static final class LoginFailedException extends Exception {
        LoginFailedException(String message) {
            super(message);
        }

        LoginFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    OidcLoginClient(OidcConfig oidc, ControlConfig.WebLogin client) {
        this.oidc = requireNonNull(oidc, "oidc is null");
        this.client = requireNonNull(client, "client is null");
        this.claims = new AccessTokenClaims(oidc);
    }

    Attempt newAttempt(URI redirect) {
        return new Attempt(new State(), new Nonce(), new CodeVerifier(), redirect);
    }

    /** Where to send the browser to log in. */
    URI authorizationUri(Attempt attempt) throws LoginFailedException {
        OIDCProviderMetadata metadata = provider().metadata();
        Scope scope = new Scope("openid", "profile", "email");
        return new AuthenticationRequest.Builder(new ResponseType(ResponseType.Value.CODE), scope,
                new ClientID(client.clientId()), attempt.redirect())
                .endpointURI(metadata.getAuthorizationEndpointURI())
                .state(attempt.state())
                .nonce(attempt.nonce())
                .codeChallenge(attempt.verifier(), CodeChallengeMethod.S256)
                .build()
                .toURI();
    }

    /** Exchanges the code (with the PKCE verifier) and returns who logged in. */
    VerifiedAccessToken finish(Attempt attempt, String code) throws LoginFailedException {
        Provider issuer = provider();
        AuthorizationCodeGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code), attempt.redirect(),
                attempt.verifier());
        URI tokenEndpoint = issuer.metadata().getTokenEndpointURI();
        TokenRequest request;
        try {
            request = client.clientSecret().isPresent()
                    ? new TokenRequest(tokenEndpoint, new ClientSecretBasic(new ClientID(client.clientId()),
                            new Secret(client.clientSecret().get().resolve())), grant)
                    : new TokenRequest(tokenEndpoint, new ClientID(client.clientId()), grant);
        } catch (SecretUnavailableException e) {
            throw new LoginFailedException("the OIDC client secret is unavailable: " + e.getMessage(), e);
        }
        TokenResponse response;
        try {
            HTTPRequest http = request.toHTTPRequest();
            http.setConnectTimeout(HTTP_TIMEOUT_MILLIS);
            http.setReadTimeout(HTTP_TIMEOUT_MILLIS);
            response = OIDCTokenResponseParser.parse(http.send());
        } catch (IOException | ParseException e) {
            throw new LoginFailedException("the issuer's token endpoint failed: " + e.getMessage(), e);
        }
        if (!response.indicatesSuccess()) {
            throw new LoginFailedException("the issuer refused the login: "
                    + response.toErrorResponse().getErrorObject().getDescription());
        }
        OIDCTokens tokens = response.toSuccessResponse().getTokens().toOIDCTokens();
        JWT idToken = tokens.getIDToken();
        if (idToken == null) {
            throw new LoginFailedException("the issuer returned no ID token");
        }
        try {
            return claims.read(issuer.validator().validate(idToken, attempt.nonce()).toJWTClaimsSet());
        } catch (BadJOSEException | com.nimbusds.jose.JOSEException e) {
            throw new LoginFailedException("the ID token does not hold: " + e.getMessage(), e);
        } catch (ParseException e) {
            throw new LoginFailedException("the ID token's claims cannot be read: " + e.getMessage(), e);
        } catch (InvalidAccessTokenException e) {
            throw new LoginFailedException(e.getMessage(), e);
        }
    }

    private Provider provider() throws LoginFailedException {
        Provider current = provider;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (provider == null) {
                try {
                    OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(oidc.issuer()),
                            HTTP_TIMEOUT_MILLIS, HTTP_TIMEOUT_MILLIS);
                    URL jwks = metadata.getJWKSetURI().toURL();
                    IDTokenValidator validator = new IDTokenValidator(metadata.getIssuer(), new ClientID(client.clientId()),
                            JWSAlgorithm.RS256, jwks);
                    validator.setMaxClockSkew((int) oidc.clockSkew().toSeconds());
                    provider = new Provider(metadata, validator);
                } catch (IOException | com.nimbusds.oauth2.sdk.GeneralException e) {
                    throw new LoginFailedException("cannot reach the OIDC issuer " + oidc.issuer() + ": " + e.getMessage(), e);
                }
            }
            return provider;
        }
    }
}
