package dev.warden.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The control plane (REST API for approvers, auditors and administrators) and how approvals work.
 *
 * @param listener where the control plane listens; empty: no control plane, so nobody could approve
 *     and statements needing approval are refused
 * @param publicUrl the control plane's address as people reach it (links in notices and webhooks)
 * @param roles control-plane role (admin, approver, auditor) to the groups that have it
 * @param maxPendingApprovals how many statements may wait for approval at once on this gateway
 * @param webhooks where approvers are told about requests
 * @param webLogin how people log in to the web UI through the {@code oidc:} issuer; empty (and no
 *     {@code saml}): the browser asks for HTTP Basic credentials (an identity and its token) instead
 * @param saml how people log in to the web UI through a SAML 2.0 identity provider, beside or instead of OIDC
 */
public record ControlConfig(Optional<Listener> listener, Optional<String> publicUrl, Map<String, Set<String>> roles,
        int maxPendingApprovals, List<Webhook> webhooks, Optional<WebLogin> webLogin, Optional<SamlConfig> saml) {

    public static final int DEFAULT_MAX_PENDING_APPROVALS = 1000;
    public static final List<String> ROLES = List.of("admin", "approver", "auditor");

    public ControlConfig {
        requireNonNull(listener, "listener is null");
        requireNonNull(publicUrl, "publicUrl is null");
        roles = Map.copyOf(requireNonNull(roles, "roles is null"));
        webhooks = List.copyOf(requireNonNull(webhooks, "webhooks is null"));
        requireNonNull(webLogin, "webLogin is null");
        requireNonNull(saml, "saml is null");
        if (maxPendingApprovals < 1) {
            throw new IllegalArgumentException("maxPendingApprovals must be at least 1");
        }
    }

    public ControlConfig(Optional<Listener> listener, Optional<String> publicUrl, Map<String, Set<String>> roles,
            int maxPendingApprovals, List<Webhook> webhooks, Optional<WebLogin> webLogin) {
        this(listener, publicUrl, roles, maxPendingApprovals, webhooks, webLogin, Optional.empty());
    }

    public ControlConfig(Optional<Listener> listener, Optional<String> publicUrl, Map<String, Set<String>> roles,
            int maxPendingApprovals, List<Webhook> webhooks) {
        this(listener, publicUrl, roles, maxPendingApprovals, webhooks, Optional.empty());
    }

    public static ControlConfig disabled() {
        return new ControlConfig(Optional.empty(), Optional.empty(), Map.of(), DEFAULT_MAX_PENDING_APPROVALS, List.of());
    }

    /** A control plane on loopback, for tests and the demo. */
    public static ControlConfig onLoopback(int port, Map<String, Set<String>> roles) {
        return new ControlConfig(Optional.of(new Listener("127.0.0.1", port)), Optional.empty(), roles,
                DEFAULT_MAX_PENDING_APPROVALS, List.of());
    }

    public ControlConfig withWebhooks(List<Webhook> hooks) {
        return new ControlConfig(listener, publicUrl, roles, maxPendingApprovals, hooks, webLogin, saml);
    }

    public ControlConfig withWebLogin(WebLogin login) {
        return new ControlConfig(listener, publicUrl, roles, maxPendingApprovals, webhooks, Optional.of(login), saml);
    }

    public ControlConfig withSaml(SamlConfig login) {
        return new ControlConfig(listener, publicUrl, roles, maxPendingApprovals, webhooks, webLogin, Optional.of(login));
    }

    /** A copy reached by people at {@code url} (links, cookies marked Secure for https, the SAML ACS address). */
    public ControlConfig withPublicUrl(String url) {
        return new ControlConfig(listener, Optional.of(url), roles, maxPendingApprovals, webhooks, webLogin, saml);
    }

    /** Whether the session cookie must be marked Secure: people reach the UI over https. */
    public boolean secureCookies() {
        return publicUrl.map(url -> url.startsWith("https://")).orElse(false);
    }

    /**
     * The OIDC client the web UI logs people in as (authorization code flow with PKCE).
     *
     * @param clientSecret for confidential clients; public clients rely on PKCE alone
     */
    public record WebLogin(String clientId, Optional<SecretReference> clientSecret) {
        public WebLogin {
            requireNonNull(clientId, "clientId is null");
            requireNonNull(clientSecret, "clientSecret is null");
        }
    }

    /** The groups that have {@code role} (admin, approver or auditor). */
    public Set<String> groupsWithRole(String role) {
        return roles.getOrDefault(role, Set.of());
    }

    /** @param tls the control plane's own certificate and key (PEM); empty: plain HTTP on loopback only */
    public record Listener(String host, int port, Optional<Tls> tls) {
        public Listener {
            requireNonNull(host, "host is null");
            requireNonNull(tls, "tls is null");
        }

        public Listener(String host, int port) {
            this(host, port, Optional.empty());
        }

        public String scheme() {
            return tls.isPresent() ? "https" : "http";
        }
    }

    /** PEM files of the control plane's certificate chain and private key. */
    public record Tls(java.nio.file.Path certificateFile, java.nio.file.Path privateKeyFile) {
        public Tls {
            requireNonNull(certificateFile, "certificateFile is null");
            requireNonNull(privateKeyFile, "privateKeyFile is null");
        }
    }

    /** How a webhook's payload is shaped. */
    public enum WebhookFormat {
        /** Warden's own JSON event. */
        GENERIC,
        /** Slack incoming-webhook message (text and blocks), also understood by Mattermost and Rocket.Chat. */
        SLACK
    }

    /**
     * @param url the address itself (not secret), or empty when it comes from {@code urlReference}
     * @param urlReference an {@code env:}/{@code file:} reference, for addresses that are secrets (Slack's are)
     */
    public record Webhook(WebhookFormat format, Optional<String> url, Optional<SecretReference> urlReference) {
        public Webhook {
            requireNonNull(format, "format is null");
            requireNonNull(url, "url is null");
            requireNonNull(urlReference, "urlReference is null");
            if (url.isPresent() == urlReference.isPresent()) {
                throw new IllegalArgumentException("a webhook has either a URL or a reference to one");
            }
        }

        /** The address to post to (resolving the reference now). */
        public String resolveUrl() throws SecretUnavailableException {
            return url.isPresent() ? url.get() : urlReference.orElseThrow().resolve();
        }

        /** How logs name this webhook without revealing a secret address. */
        public String describe() {
            return url.map(ControlConfig::hostOf).orElseGet(() -> urlReference.orElseThrow().toString());
        }
    }

    private static String hostOf(String url) {
        try {
            java.net.URI uri = java.net.URI.create(url);
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        } catch (IllegalArgumentException e) {
            return "webhook";
        }
    }
}
