package dev.warden.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads {@code control:} and {@code approvals:}; both optional. */
final class ControlSection {
    private static final List<String> CONTROL_KEYS = List.of("host", "port", "cert", "key", "public_url", "roles", "oidc_client_id",
            "oidc_client_secret", "saml");
    private static final List<String> APPROVAL_KEYS = List.of("max_pending", "webhooks");
    private static final List<String> WEBHOOK_KEYS = List.of("url", "format");
    /** Ordered, so that messages listing the choices read the same on every run. */
    private static final Map<String, ControlConfig.WebhookFormat> FORMATS = new LinkedHashMap<>();

    static {
        FORMATS.put("generic", ControlConfig.WebhookFormat.GENERIC);
        FORMATS.put("slack", ControlConfig.WebhookFormat.SLACK);
    }
    private static final int MAX_WEBHOOKS = 10;

    private ControlSection() {}

    static ControlConfig read(YamlMapping top, java.nio.file.Path baseDirectory) {
        Optional<YamlMapping> mapping = top.get("control").flatMap(node -> node.asMapping(CONTROL_KEYS));
        ControlConfig listenerAndApprovals = readListenerAndApprovals(top, mapping, baseDirectory);
        if (mapping.isEmpty()) {
            return listenerAndApprovals;
        }
        ControlConfig control = mapping.get().get("saml")
                .flatMap(node -> SamlSection.read(node, listenerAndApprovals.publicUrl(), baseDirectory))
                .map(listenerAndApprovals::withSaml).orElse(listenerAndApprovals);
        String clientId = mapping.get().optional("oidc_client_id", YamlNode::asString);
        SecretReference secret = mapping.get().optional("oidc_client_secret", TargetSection::readSecretReference);
        if (clientId == null) {
            mapping.get().get("oidc_client_secret").ifPresent(node -> node.problem("needs oidc_client_id"));
            return control;
        }
        if (top.get("oidc").isEmpty()) {
            mapping.get().get("oidc_client_id").orElseThrow()
                    .problem("people log in through the oidc: issuer, and there is no oidc: section");
            return control;
        }
        return control.withWebLogin(new ControlConfig.WebLogin(clientId, Optional.ofNullable(secret)));
    }

    private static ControlConfig readListenerAndApprovals(YamlMapping top, Optional<YamlMapping> control,
            java.nio.file.Path baseDirectory) {
        ControlConfig defaults = ControlConfig.disabled();
        Optional<ControlConfig.Listener> listener = Optional.empty();
        String publicUrl = null;
        Map<String, Set<String>> roles = new LinkedHashMap<>();
        if (control.isPresent()) {
            YamlMapping mapping = control.get();
            java.nio.file.Path cert = mapping.optional("cert", node -> node.asReadableFile(baseDirectory));
            java.nio.file.Path key = mapping.optional("key", node -> node.asReadableFile(baseDirectory));
            if ((cert == null) != (key == null)) {
                (cert == null ? mapping.get("key") : mapping.get("cert")).orElseThrow()
                        .problem("TLS needs both cert and key");
            }
            Optional<ControlConfig.Tls> tls = cert != null && key != null
                    ? Optional.of(new ControlConfig.Tls(cert, key)) : Optional.empty();
            // Approvers' credentials cross this listener: without TLS of its own it stays on loopback.
            String host = mapping.value("host", tls.isPresent() ? YamlNode::asHost : ControlSection::loopbackHost, "127.0.0.1");
            Integer port = mapping.required("port", node -> node.asInteger(0, 65535));
            if (port != null) {
                listener = Optional.of(new ControlConfig.Listener(host, port, tls));
            }
            publicUrl = mapping.optional("public_url", ControlSection::httpUrl);
            mapping.get("roles").flatMap(node -> node.asMapping(ControlConfig.ROLES)).ifPresent(roleMapping -> {
                for (String role : ControlConfig.ROLES) {
                    roleMapping.get(role).flatMap(IdentitySection::readGroups)
                            .ifPresent(groups -> roles.put(role, new HashSet<>(groups)));
                }
            });
        }
        int maxPending = defaults.maxPendingApprovals();
        List<ControlConfig.Webhook> webhooks = new ArrayList<>();
        Optional<YamlMapping> approvals = top.get("approvals").flatMap(node -> node.asMapping(APPROVAL_KEYS));
        if (approvals.isPresent()) {
            maxPending = approvals.get().value("max_pending", node -> node.asInteger(1, 100_000), maxPending);
            approvals.get().get("webhooks").flatMap(YamlNode::asSequence).ifPresent(items -> {
                if (items.size() > MAX_WEBHOOKS) {
                    approvals.get().get("webhooks").orElseThrow().problem("at most " + MAX_WEBHOOKS + " webhooks");
                    return;
                }
                for (YamlNode item : items) {
                    item.asMapping(WEBHOOK_KEYS).flatMap(ControlSection::webhook).ifPresent(webhooks::add);
                }
            });
        }
        return new ControlConfig(listener, Optional.ofNullable(publicUrl), roles, maxPending, webhooks);
    }

    /**
     * Approvers send their tokens to the control plane: without a certificate of its own it listens
     * on loopback only, behind a TLS-terminating proxy when people reach it from elsewhere.
     */
    private static Optional<String> loopbackHost(YamlNode node) {
        return node.asHost().filter(host -> {
            try {
                if (InetAddress.getByName(host).isLoopbackAddress()) {
                    return true;
                }
            } catch (UnknownHostException e) {
                // reported below like any other non-loopback host
            }
            node.problem("must be a loopback address (127.0.0.1, ::1 or localhost) unless control has cert and key: "
                    + "without TLS, approvers' credentials must not cross the network (or use a TLS-terminating proxy)");
            return false;
        });
    }

    private static Optional<String> httpUrl(YamlNode node) {
        return node.asString().filter(text -> {
            try {
                URI uri = new URI(text);
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                        && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null) {
                    return true;
                }
            } catch (java.net.URISyntaxException e) {
                // reported below
            }
            node.problem("must be an http:// or https:// URL with a host and no query, fragment or credentials");
            return false;
        });
    }

    private static Optional<ControlConfig.Webhook> webhook(YamlMapping mapping) {
        ControlConfig.WebhookFormat format = mapping.value("format", node -> node.asChoice(FORMATS),
                ControlConfig.WebhookFormat.GENERIC);
        YamlNode urlNode = mapping.require("url").orElse(null);
        if (urlNode == null) {
            return Optional.empty();
        }
        Optional<String> text = urlNode.asString();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (text.get().startsWith("http://") || text.get().startsWith("https://")) {
            return httpUrlAllowingQuery(urlNode, text.get())
                    .map(url -> new ControlConfig.Webhook(format, Optional.of(url), Optional.empty()));
        }
        return TargetSection.readSecretReference(urlNode)
                .map(reference -> new ControlConfig.Webhook(format, Optional.empty(), Optional.of(reference)));
    }

    /** Webhook addresses may carry a query (some services put a key there); never credentials in userinfo. */
    private static Optional<String> httpUrlAllowingQuery(YamlNode node, String text) {
        try {
            URI uri = new URI(text);
            if (uri.getHost() != null && uri.getRawUserInfo() == null) {
                return Optional.of(text);
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        node.problem("must be an http:// or https:// URL with a host, or an env:/file: reference to one");
        return Optional.empty();
    }
}
