package dev.warden.control;

import static java.util.Objects.requireNonNull;

import com.onelogin.saml2.authn.AuthnRequest;
import com.onelogin.saml2.authn.AuthnRequestParams;
import com.onelogin.saml2.exception.ValidationError;
import com.onelogin.saml2.settings.Saml2Settings;
import com.onelogin.saml2.settings.SettingsBuilder;
import com.onelogin.saml2.util.Constants;
import dev.warden.config.SamlConfig;
import dev.warden.identity.Names;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Warden as a SAML 2.0 service provider, on OneLogin's java-saml: the metadata the IdP is given, the
 * AuthnRequests the browser carries there, and the checks of what comes back.
 *
 * <p>A response logs someone in only if all of these hold (java-saml's strict mode does most; the
 * rest, marked *, are Warden's):
 * <ul>
 *   <li>it parses without a DTD or entities, matches the SAML schema, and holds exactly one assertion,
 *       unencrypted (no key is configured to decrypt one);
 *   <li>its signature (on the assertion, or on the Response when {@code want_assertions_signed} is
 *       off) verifies with the configured IdP certificate only, never one carried in the message, with
 *       RSA-SHA256 or stronger (SHA-1 refused), and covers the element that is read;
 *   <li>Issuer is the IdP; status is Success; Destination (when present) and the bearer
 *       SubjectConfirmation's Recipient are our ACS URL; Conditions and SubjectConfirmationData
 *       times hold, with java-saml's fixed drift of {@link #CLOCK_DRIFT};
 *   <li>* the assertion names an audience, and ours is among them (java-saml accepts none at all);
 *   <li>it answers a request we issued: * the Response's InResponseTo names a pending request (taken by
 *       {@link SamlLoginApi}), and the signed SubjectConfirmationData carries the same id (java-saml
 *       checks that, and * Warden checks it again: the Response's own attribute is unsigned when only
 *       the assertion is signed, so this is what binds the signed assertion to our request);
 *   <li>* its assertion id was not used before ({@link AssertionReplayCache});
 *   <li>* identity and groups read cleanly: one non-empty identity, groups that are valid names.
 * </ul>
 */
final class SamlServiceProvider {
    /** java-saml's allowance for clocks that differ, fixed in the library (Constants.ALOWED_CLOCK_DRIFT). */
    static final Duration CLOCK_DRIFT = Duration.ofSeconds(Constants.ALOWED_CLOCK_DRIFT);
    /** More groups than any policy needs; an assertion with thousands is broken or hostile. */
    static final int MAX_GROUPS = 256;
    private static final int MAX_IDENTITY_LENGTH = 256;

    /** Who a verified assertion says logged in. */
    record VerifiedLogin(String identity, List<String> groups) {}

    /** A request to send the browser with: its id (what the response must answer) and where it goes. */
    record LoginRedirect(String requestId, URI location) {}

    private final SamlConfig config;
    private final Saml2Settings settings;
    private final AssertionReplayCache replays;

    SamlServiceProvider(SamlConfig config, AssertionReplayCache replays) {
        this.config = requireNonNull(config, "config is null");
        this.replays = requireNonNull(replays, "replays is null");
        this.settings = settings(config);
    }

    private static Saml2Settings settings(SamlConfig config) {
        Map<String, Object> values = new HashMap<>();
        values.put(SettingsBuilder.STRICT_PROPERTY_KEY, true);
        values.put(SettingsBuilder.DEBUG_PROPERTY_KEY, false);
        values.put(SettingsBuilder.SP_ENTITYID_PROPERTY_KEY, config.spEntityId());
        values.put(SettingsBuilder.SP_ASSERTION_CONSUMER_SERVICE_URL_PROPERTY_KEY, config.acsUrl().toString());
        values.put(SettingsBuilder.SP_ASSERTION_CONSUMER_SERVICE_BINDING_PROPERTY_KEY, Constants.BINDING_HTTP_POST);
        values.put(SettingsBuilder.IDP_ENTITYID_PROPERTY_KEY, config.idpEntityId());
        values.put(SettingsBuilder.IDP_SINGLE_SIGN_ON_SERVICE_URL_PROPERTY_KEY, config.idpSsoUrl().toString());
        values.put(SettingsBuilder.IDP_SINGLE_SIGN_ON_SERVICE_BINDING_PROPERTY_KEY, Constants.BINDING_HTTP_REDIRECT);
        // An X509Certificate, not text: the only key signatures are checked with.
        values.put(SettingsBuilder.IDP_X509CERT_PROPERTY_KEY, config.idpCertificate());
        values.put(SettingsBuilder.SECURITY_WANT_ASSERTIONS_SIGNED, config.wantAssertionsSigned());
        values.put(SettingsBuilder.SECURITY_WANT_MESSAGES_SIGNED, false);
        values.put(SettingsBuilder.SECURITY_AUTHREQUEST_SIGNED, false);
        values.put(SettingsBuilder.SECURITY_WANT_XML_VALIDATION, true);
        values.put(SettingsBuilder.SECURITY_WANT_NAMEID, config.identityAttribute().isEmpty());
        values.put(SettingsBuilder.SECURITY_REJECT_UNSOLICITED_RESPONSES_WITH_INRESPONSETO, true);
        values.put(SettingsBuilder.SECURITY_REJECT_DEPRECATED_ALGORITHM, true);
        values.put(SettingsBuilder.SECURITY_ALLOW_REPEAT_ATTRIBUTE_NAME_PROPERTY_KEY, false);
        values.put(SettingsBuilder.PARSING_TRIM_NAME_IDS, true);
        values.put(SettingsBuilder.PARSING_TRIM_ATTRIBUTE_VALUES, true);
        Saml2Settings settings = new SettingsBuilder().fromValues(values).build();
        List<String> problems = settings.checkSettings();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the SAML settings (control.saml) do not hold: " + problems);
        }
        return settings;
    }

    /** The SP metadata to give the identity provider: entity id, ACS URL and binding, signed assertions wanted. */
    String metadata() {
        try {
            return settings.getSPMetadata();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot write the SAML metadata", e);
        }
    }

    /** A fresh AuthnRequest by the HTTP-Redirect binding (deflated, base64, unsigned). */
    LoginRedirect newLogin() {
        AuthnRequest request = new AuthnRequest(settings, new AuthnRequestParams(false, false, true));
        String encoded;
        try {
            encoded = request.getEncodedAuthnRequest(true);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a SAML AuthnRequest", e);
        }
        String sso = config.idpSsoUrl().toString();
        String separator = config.idpSsoUrl().getRawQuery() == null ? "?" : "&";
        return new LoginRedirect(request.getId(),
                URI.create(sso + separator + "SAMLRequest=" + URLEncoder.encode(encoded, StandardCharsets.UTF_8)));
    }

    /** Parses a posted {@code SAMLResponse}; nothing in it is trusted yet. */
    SamlResponseDocument read(String encodedResponse) throws SamlRefusedException {
        try {
            return new SamlResponseDocument(settings, config.acsUrl().toString(), encodedResponse);
        } catch (Exception e) {
            // Malformed XML, a DTD, an encrypted assertion we hold no key for: all one answer.
            throw new SamlRefusedException("the SAML response cannot be read",
                    "unreadable SAML response (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Runs every check (see the class comment) for a response that answers {@code requestId}, and
     * records its assertion as used.
     */
    VerifiedLogin verify(SamlResponseDocument response, String requestId) throws SamlRefusedException {
        if (!response.isValid(requestId)) {
            Exception cause = response.getValidationException();
            throw new SamlRefusedException(reasonFor(cause), String.valueOf(cause == null ? null : cause.getMessage()));
        }
        try {
            if (response.getAudiences().isEmpty()) {
                throw new SamlRefusedException("the assertion was not issued for this service provider (no audience)",
                        "the assertion has no AudienceRestriction; expected " + config.spEntityId());
            }
            if (!response.confirmedRequestIds().contains(requestId)) {
                throw new SamlRefusedException("the signed assertion does not answer the login this browser started",
                        "no SubjectConfirmationData InResponseTo names the pending request " + requestId);
            }
            String assertionId = response.getAssertionId();
            VerifiedLogin login = new VerifiedLogin(identity(response), groups(response));
            Instant until = response.getAssertionNotOnOrAfter().stream()
                    .map(time -> Instant.ofEpochMilli(time.getMillis())).max(Instant::compareTo)
                    .orElseThrow(() -> new SamlRefusedException("the assertion has no validity period",
                            "no SubjectConfirmationData NotOnOrAfter"))
                    .plus(CLOCK_DRIFT);
            switch (replays.use(assertionId, until)) {
                case FIRST_USE -> {
                    return login;
                }
                case REPLAYED -> throw new SamlRefusedException("this assertion was used before; log in again",
                        "replayed assertion " + assertionId);
                case FULL -> throw new SamlRefusedException(503, "too many SAML logins at once; try again in a few minutes",
                        "the assertion replay cache is full of unexpired entries");
            }
            throw new IllegalStateException("unhandled replay outcome");
        } catch (SamlRefusedException e) {
            throw e;
        } catch (Exception e) {
            throw new SamlRefusedException("the SAML response cannot be read",
                    "reading the verified assertion failed (" + e.getClass().getSimpleName() + ")");
        }
    }

    private String identity(SamlResponseDocument response) throws Exception {
        String identity;
        if (config.identityAttribute().isEmpty()) {
            identity = response.getNameId();
        } else {
            List<String> values = response.getAttributes().get(config.identityAttribute().get());
            if (values == null || values.size() != 1) {
                throw new SamlRefusedException("the assertion does not name one identity",
                        "attribute " + config.identityAttribute().get() + " has " + (values == null ? 0 : values.size())
                                + " values; exactly one is needed");
            }
            identity = values.get(0);
        }
        if (identity == null || identity.isBlank() || identity.length() > MAX_IDENTITY_LENGTH
                || identity.codePoints().anyMatch(Character::isISOControl)) {
            throw new SamlRefusedException("the assertion does not name a usable identity",
                    "the identity is empty, longer than " + MAX_IDENTITY_LENGTH + " characters or holds control characters");
        }
        return identity;
    }

    /**
     * A groups attribute that cannot be read refuses the login rather than dropping groups: a policy
     * may deny by group, and a dropped group would lift that denial.
     */
    private List<String> groups(SamlResponseDocument response) throws Exception {
        if (config.groupsAttribute().isEmpty()) {
            return List.of();
        }
        String name = config.groupsAttribute().get();
        List<String> values = response.getAttributes().getOrDefault(name, List.of());
        if (values.size() > MAX_GROUPS) {
            throw new SamlRefusedException("the assertion's groups cannot be read",
                    "attribute " + name + " has more than " + MAX_GROUPS + " values");
        }
        for (String group : values) {
            Optional<String> problem = Names.problem(group);
            if (problem.isPresent()) {
                throw new SamlRefusedException("the assertion's groups cannot be read",
                        "attribute " + name + " holds a group name that " + problem.get());
            }
        }
        return List.copyOf(values);
    }

    /** What the person is told: which check failed, in words, never a value from the response. */
    private static String reasonFor(Exception cause) {
        if (!(cause instanceof ValidationError error)) {
            return "the SAML response is not valid";
        }
        return switch (error.getErrorCode()) {
            case ValidationError.INVALID_SIGNATURE, ValidationError.NO_SIGNATURE_FOUND, ValidationError.NO_SIGNED_ASSERTION,
                    ValidationError.NO_SIGNED_MESSAGE, ValidationError.WRONG_SIGNED_ELEMENT,
                    ValidationError.ID_NOT_FOUND_IN_SIGNED_ELEMENT, ValidationError.DUPLICATED_ID_IN_SIGNED_ELEMENTS,
                    ValidationError.INVALID_SIGNED_ELEMENT, ValidationError.DUPLICATED_REFERENCE_IN_SIGNED_ELEMENTS,
                    ValidationError.UNEXPECTED_SIGNED_ELEMENTS, ValidationError.WRONG_NUMBER_OF_SIGNATURES_IN_RESPONSE,
                    ValidationError.WRONG_NUMBER_OF_SIGNATURES_IN_ASSERTION, ValidationError.WRONG_NUMBER_OF_SIGNATURES,
                    ValidationError.UNEXPECTED_REFERENCE, ValidationError.WRONG_NUMBER_OF_ASSERTIONS ->
                    "the SAML response is not signed by the configured identity provider over the assertion it carries";
            case ValidationError.WRONG_AUDIENCE -> "the assertion was not issued for this service provider (audience)";
            case ValidationError.WRONG_DESTINATION, ValidationError.EMPTY_DESTINATION ->
                    "the SAML response was sent to another address (Destination)";
            case ValidationError.WRONG_SUBJECTCONFIRMATION ->
                    "the assertion's subject confirmation does not hold (Recipient, InResponseTo or validity time)";
            case ValidationError.ASSERTION_EXPIRED, ValidationError.SESSION_EXPIRED, ValidationError.RESPONSE_EXPIRED ->
                    "the assertion has expired; log in again";
            case ValidationError.ASSERTION_TOO_EARLY -> "the assertion is not valid yet; check the clocks";
            case ValidationError.WRONG_INRESPONSETO -> "the SAML response does not answer the login this browser started";
            case ValidationError.WRONG_ISSUER, ValidationError.ISSUER_MULTIPLE_IN_RESPONSE,
                    ValidationError.ISSUER_NOT_FOUND_IN_ASSERTION -> "the SAML response comes from another identity provider";
            case ValidationError.STATUS_CODE_IS_NOT_SUCCESS, ValidationError.MISSING_STATUS,
                    ValidationError.MISSING_STATUS_CODE -> "the identity provider did not log you in";
            default -> "the SAML response is not valid";
        };
    }
}
