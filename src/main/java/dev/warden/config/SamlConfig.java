package dev.warden.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * How people log in to the web UI through a SAML 2.0 identity provider ({@code control.saml}).
 * Warden is the service provider: it sends an AuthnRequest by the HTTP-Redirect binding and takes the
 * Response by the HTTP-POST binding at {@link #acsUrl()}.
 *
 * @param idpEntityId the IdP's entity id: the Issuer of its responses and assertions
 * @param idpSsoUrl where the browser is sent with the AuthnRequest
 * @param idpCertificate the only key signatures are checked with; a certificate inside a response is never trusted
 * @param spEntityId Warden's entity id, the audience assertions must name
 * @param acsUrl where the IdP posts responses; they must name it as Destination and Recipient
 * @param identityAttribute the attribute whose single value is the person's identity; empty: the NameID
 * @param groupsAttribute the attribute whose values are the person's groups; empty: groups come from
 *     {@code identities:} only
 * @param wantAssertionsSigned whether the assertion itself must carry the signature (a signed Response
 *     around an unsigned assertion is then refused)
 */
public record SamlConfig(String idpEntityId, URI idpSsoUrl, X509Certificate idpCertificate, String spEntityId, URI acsUrl,
        Optional<String> identityAttribute, Optional<String> groupsAttribute, boolean wantAssertionsSigned) {

    public static final String METADATA_PATH = "/saml/metadata";
    public static final String ACS_PATH = "/saml/acs";

    public SamlConfig {
        requireNonNull(idpEntityId, "idpEntityId is null");
        requireNonNull(idpSsoUrl, "idpSsoUrl is null");
        requireNonNull(idpCertificate, "idpCertificate is null");
        requireNonNull(spEntityId, "spEntityId is null");
        requireNonNull(acsUrl, "acsUrl is null");
        requireNonNull(identityAttribute, "identityAttribute is null");
        requireNonNull(groupsAttribute, "groupsAttribute is null");
    }

    /** The defaults for an IdP: entity id and ACS URL under {@code publicUrl}, NameID as identity, signed assertions. */
    public static SamlConfig of(String idpEntityId, URI idpSsoUrl, X509Certificate idpCertificate, String publicUrl,
            Optional<String> groupsAttribute) {
        String base = withoutTrailingSlash(publicUrl);
        return new SamlConfig(idpEntityId, idpSsoUrl, idpCertificate, base + METADATA_PATH, URI.create(base + ACS_PATH),
                Optional.empty(), groupsAttribute, true);
    }

    static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
