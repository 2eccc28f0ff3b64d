package dev.warden.testing;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.apache.xml.security.algorithms.MessageDigestAlgorithm;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A SAML 2.0 identity provider built in the test: a fresh RSA key with a self-signed certificate
 * (written as PEM for {@code control.saml.idp_certificate}), and Responses it writes and signs with
 * Apache Santuario the way IdPs do (enveloped, exclusive C14N, RSA-SHA256, the certificate in KeyInfo).
 * Tests take the DOM between building and signing, or after, to tamper with it.
 */
public final class TestSamlIdentityProvider {
    public static final String ENTITY_ID = "https://idp.test/saml";
    public static final String NS_PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol";
    public static final String NS_ASSERTION = "urn:oasis:names:tc:SAML:2.0:assertion";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern REQUEST_ID = Pattern.compile("\\sID=\"([^\"]+)\"");

    static {
        org.apache.xml.security.Init.init();
    }

    private final KeyPair keys;
    private final X509Certificate certificate;
    private final Path certificateFile;

    private TestSamlIdentityProvider(KeyPair keys, X509Certificate certificate, Path certificateFile) {
        this.keys = keys;
        this.certificate = certificate;
        this.certificateFile = certificateFile;
    }

    /** Writes {@code <name>.crt} into {@code directory}. */
    public static TestSamlIdentityProvider create(Path directory, String name) throws IOException {
        KeyPair keys = rsaKeys();
        X509Certificate certificate = selfSigned(keys);
        Files.createDirectories(directory);
        Path file = directory.resolve(name + ".crt");
        try {
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded());
            Files.writeString(file, "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return new TestSamlIdentityProvider(keys, certificate, file);
    }

    public Path certificateFile() {
        return certificateFile;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** What the Response says; every field has a valid default for {@code requestId}, sp and acs. */
    public static final class Spec {
        public String responseId = newId();
        public String assertionId = newId();
        public String issuer = ENTITY_ID;
        public String destination;
        public String inResponseTo;
        public String confirmationInResponseTo;
        public String recipient;
        public String audience;
        public String nameId = "alice";
        public Instant issuedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        public Instant notBefore = issuedAt.minus(Duration.ofMinutes(1));
        public Instant notOnOrAfter = issuedAt.plus(Duration.ofMinutes(5));
        public String status = "urn:oasis:names:tc:SAML:2.0:status:Success";
        public final Map<String, List<String>> attributes = new LinkedHashMap<>();

        public Spec(String requestId, String spEntityId, String acsUrl) {
            destination = acsUrl;
            inResponseTo = requestId;
            confirmationInResponseTo = requestId;
            recipient = acsUrl;
            audience = spEntityId;
        }

        public Spec attribute(String name, String... values) {
            attributes.put(name, List.of(values));
            return this;
        }
    }

    public static String newId() {
        return "_" + new BigInteger(128, RANDOM).toString(16);
    }

    /** The Response, unsigned. */
    public static Document build(Spec spec) {
        StringBuilder xml = new StringBuilder();
        xml.append("<samlp:Response xmlns:samlp=\"").append(NS_PROTOCOL).append("\" xmlns:saml=\"").append(NS_ASSERTION)
                .append("\" ID=\"").append(spec.responseId).append("\" Version=\"2.0\" IssueInstant=\"").append(spec.issuedAt)
                .append('"');
        attribute(xml, "Destination", spec.destination);
        attribute(xml, "InResponseTo", spec.inResponseTo);
        xml.append("><saml:Issuer>").append(escape(spec.issuer)).append("</saml:Issuer>")
                .append("<samlp:Status><samlp:StatusCode Value=\"").append(spec.status).append("\"/></samlp:Status>")
                .append(assertionXml(spec))
                .append("</samlp:Response>");
        return parse(xml.toString());
    }

    /** One Assertion element as text (also used to build evil twins for wrapping attacks). */
    public static String assertionXml(Spec spec) {
        StringBuilder xml = new StringBuilder();
        xml.append("<saml:Assertion xmlns:saml=\"").append(NS_ASSERTION).append("\" ID=\"").append(spec.assertionId)
                .append("\" Version=\"2.0\" IssueInstant=\"").append(spec.issuedAt).append("\">")
                .append("<saml:Issuer>").append(escape(spec.issuer)).append("</saml:Issuer>")
                .append("<saml:Subject><saml:NameID Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified\">")
                .append(escape(spec.nameId)).append("</saml:NameID>")
                .append("<saml:SubjectConfirmation Method=\"urn:oasis:names:tc:SAML:2.0:cm:bearer\">")
                .append("<saml:SubjectConfirmationData");
        attribute(xml, "InResponseTo", spec.confirmationInResponseTo);
        attribute(xml, "NotOnOrAfter", spec.notOnOrAfter.toString());
        attribute(xml, "Recipient", spec.recipient);
        xml.append("/></saml:SubjectConfirmation></saml:Subject>")
                .append("<saml:Conditions NotBefore=\"").append(spec.notBefore).append("\" NotOnOrAfter=\"")
                .append(spec.notOnOrAfter).append("\">");
        if (spec.audience != null) {
            xml.append("<saml:AudienceRestriction><saml:Audience>").append(escape(spec.audience))
                    .append("</saml:Audience></saml:AudienceRestriction>");
        }
        xml.append("</saml:Conditions>")
                .append("<saml:AuthnStatement AuthnInstant=\"").append(spec.issuedAt).append("\" SessionIndex=\"")
                .append(newId()).append("\"><saml:AuthnContext><saml:AuthnContextClassRef>")
                .append("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport")
                .append("</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>");
        if (!spec.attributes.isEmpty()) {
            xml.append("<saml:AttributeStatement>");
            spec.attributes.forEach((name, values) -> {
                xml.append("<saml:Attribute Name=\"").append(escape(name)).append("\">");
                values.forEach(value -> xml.append("<saml:AttributeValue>").append(escape(value)).append("</saml:AttributeValue>"));
                xml.append("</saml:Attribute>");
            });
            xml.append("</saml:AttributeStatement>");
        }
        return xml.append("</saml:Assertion>").toString();
    }

    /** Signs the (first) Assertion of {@code response} in place. */
    public Document signAssertion(Document response) {
        Element assertion = (Element) response.getElementsByTagNameNS(NS_ASSERTION, "Assertion").item(0);
        sign(assertion);
        return response;
    }

    /** Signs the Response element in place (after any assertion signature, as IdPs do). */
    public Document signResponse(Document response) {
        sign(response.getDocumentElement());
        return response;
    }

    /** An enveloped signature placed right after the element's Issuer, as the SAML schema wants it. */
    public void sign(Element element) {
        sign(element, XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256, MessageDigestAlgorithm.ALGO_ID_DIGEST_SHA256);
    }

    /** Like {@link #sign(Element)} with other algorithms (an IdP still on SHA-1, say). */
    public void sign(Element element, String signatureAlgorithm, String digestAlgorithm) {
        try {
            Document document = element.getOwnerDocument();
            element.setIdAttribute("ID", true);
            XMLSignature signature = new XMLSignature(document, "", signatureAlgorithm,
                    Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
            Node issuer = element.getElementsByTagNameNS(NS_ASSERTION, "Issuer").item(0);
            element.insertBefore(signature.getElement(), issuer.getNextSibling());
            Transforms transforms = new Transforms(document);
            transforms.addTransform(Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
            transforms.addTransform(Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
            signature.addDocument("#" + element.getAttribute("ID"), transforms, digestAlgorithm);
            signature.addKeyInfo(certificate);
            signature.sign(keys.getPrivate());
        } catch (org.apache.xml.security.exceptions.XMLSecurityException e) {
            throw new IllegalStateException("could not sign the test SAML message", e);
        }
    }

    /** The POST binding's encoding: the XML as is, base64. */
    public static String encode(Document document) {
        return Base64.getEncoder().encodeToString(serialize(document).getBytes(StandardCharsets.UTF_8));
    }

    public static String serialize(Document document) {
        try {
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            transformer.transform(new DOMSource(document), new StreamResult(out));
            return out.toString(StandardCharsets.UTF_8);
        } catch (javax.xml.transform.TransformerException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Document parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException("the test built XML that does not parse", e);
        }
    }

    /**
     * The ID of the AuthnRequest in a redirect-binding URL's {@code SAMLRequest} (URL-decoded already):
     * base64 of raw DEFLATE.
     */
    public static String requestIdOf(String samlRequest) throws IOException {
        byte[] deflated = Base64.getDecoder().decode(samlRequest);
        try (InflaterInputStream in = new InflaterInputStream(new ByteArrayInputStream(deflated), new Inflater(true))) {
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Matcher matcher = REQUEST_ID.matcher(xml);
            if (!matcher.find()) {
                throw new IllegalStateException("no ID in the AuthnRequest");
            }
            return matcher.group(1);
        }
    }

    private static void attribute(StringBuilder xml, String name, String value) {
        if (value != null) {
            xml.append(' ').append(name).append("=\"").append(escape(value)).append('"');
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate selfSigned(KeyPair keys) {
        X500Name name = new X500Name("CN=Warden test IdP,O=Warden tests");
        Instant now = Instant.now();
        try {
            return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, RANDOM).add(BigInteger.ONE), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(7))), name, keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("could not issue the test IdP certificate", e);
        }
    }

    /** For messages: the key pair's public half, so tests can tell two IdPs apart. */
    @Override
    public String toString() {
        return "TestSamlIdentityProvider[" + requireNonNull(certificate.getSubjectX500Principal()) + "]";
    }
}
