package dev.warden.control;

import static java.util.Objects.requireNonNull;

import dev.warden.policy.Subject;
import io.javalin.http.Context;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of every browser login, whichever provider verified the person (OIDC or SAML): their
 * subject with configured groups added, refused without a control-plane role, else a web session, its
 * cookie and the UI.
 */
final class WebLogins {
    private static final Logger log = LoggerFactory.getLogger(WebLogins.class);

    private final CallerAuthenticator authenticator;
    private final WebSessions sessions;
    private final boolean secureCookies;

    WebLogins(CallerAuthenticator authenticator, WebSessions sessions, boolean secureCookies) {
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.secureCookies = secureCookies;
    }

    /** @param via how the person was verified, for the log ("" or " through SAML") */
    void open(Context ctx, String identity, Collection<String> providerGroups, String via) {
        Subject subject = authenticator.subjectFor(identity, providerGroups);
        if (authenticator.callerFor(subject).roles().isEmpty()) {
            log.info("web login of {}{} refused: no control-plane role", identity, via);
            ControlPlane.problem(ctx, 403, identity + " has no control-plane role (control.roles in warden.yaml)");
            return;
        }
        WebSessions.WebSession session = sessions.open(subject);
        Cookies.setSession(ctx, session.id(), secureCookies);
        log.info("web login of {}{}", identity, via);
        ctx.redirect("/ui/");
    }
}
