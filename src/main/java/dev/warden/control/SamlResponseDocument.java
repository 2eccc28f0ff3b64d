package dev.warden.control;

import com.onelogin.saml2.authn.SamlResponse;
import com.onelogin.saml2.exception.SettingsException;
import com.onelogin.saml2.exception.ValidationError;
import com.onelogin.saml2.settings.Saml2Settings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.xpath.XPathExpressionException;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * java-saml's response, with the two readings Warden adds to its checks. Both read through
 * {@code queryAssertion}, which only ever returns the assertion the verified signature covers (it
 * selects by the ID the signature references), so nothing here can be steered by unsigned content.
 */
final class SamlResponseDocument extends SamlResponse {

    SamlResponseDocument(Saml2Settings settings, String acsUrl, String encodedResponse) throws XPathExpressionException,
            ParserConfigurationException, SAXException, IOException, SettingsException, ValidationError {
        super(settings, acsUrl, encodedResponse);
    }

    /**
     * The Response's InResponseTo: which of our requests it claims to answer. Unsigned when only the
     * assertion is signed, so it only selects the pending request; {@link #confirmedRequestIds()} is
     * what binds the signed assertion to it.
     */
    Optional<String> inResponseTo() {
        var root = getSAMLResponseDocument().getDocumentElement();
        return root.hasAttribute("InResponseTo") ? Optional.of(root.getAttribute("InResponseTo")) : Optional.empty();
    }

    /** The InResponseTo of each SubjectConfirmationData in the signed assertion. */
    List<String> confirmedRequestIds() throws XPathExpressionException {
        NodeList data = queryAssertion("/saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < data.getLength(); i++) {
            Node inResponseTo = data.item(i).getAttributes().getNamedItem("InResponseTo");
            if (inResponseTo != null) {
                ids.add(inResponseTo.getNodeValue());
            }
        }
        return ids;
    }
}
