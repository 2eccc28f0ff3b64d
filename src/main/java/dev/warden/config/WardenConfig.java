package dev.warden.config;

import static java.util.Objects.requireNonNull;

import dev.warden.identity.Identity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole gateway configuration, as loaded by {@link ConfigLoader}.
 *
 * @param source the file it came from, for messages
 * @param targets by name, in file order
 * @param identities by name, in file order
 * @param policy the policy file; without one every statement is refused (fail closed)
 * @param audit where and how sessions are recorded
 * @param oidc how OIDC access tokens are verified; without it only SCRAM identities can log in
 * @param serviceTokens how the service tokens kept in the store are enforced
 */
public record WardenConfig(
        Path source,
        List<ListenerConfig> listeners,
        Map<String, TargetConfig> targets,
        Map<String, Identity> identities,
        LimitsConfig limits,
        Optional<Path> policy,
        AuditConfig audit,
        Optional<OidcConfig> oidc,
        ServiceTokenConfig serviceTokens,
        ControlConfig control) {

    /** Without a control plane (and so without approvals). */
    public WardenConfig(Path source, List<ListenerConfig> listeners, Map<String, TargetConfig> targets,
            Map<String, Identity> identities, LimitsConfig limits, Optional<Path> policy, AuditConfig audit,
            Optional<OidcConfig> oidc, ServiceTokenConfig serviceTokens) {
        this(source, listeners, targets, identities, limits, policy, audit, oidc, serviceTokens, ControlConfig.disabled());
    }

    /** Returns a copy with another control plane (and approvals) setting. */
    public WardenConfig withControl(ControlConfig newControl) {
        return new WardenConfig(source, listeners, targets, identities, limits, policy, audit, oidc, serviceTokens,
                newControl);
    }

    public WardenConfig {
        requireNonNull(source, "source is null");
        listeners = List.copyOf(requireNonNull(listeners, "listeners is null"));
        targets = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(targets, "targets is null")));
        identities = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(identities, "identities is null")));
        requireNonNull(limits, "limits is null");
        requireNonNull(policy, "policy is null");
        requireNonNull(audit, "audit is null");
        requireNonNull(control, "control is null");
        requireNonNull(oidc, "oidc is null");
        requireNonNull(serviceTokens, "serviceTokens is null");
    }

    /** A configuration without OIDC and with the default service-token settings. */
    public WardenConfig(Path source, List<ListenerConfig> listeners, Map<String, TargetConfig> targets,
            Map<String, Identity> identities, LimitsConfig limits, Optional<Path> policy, AuditConfig audit) {
        this(source, listeners, targets, identities, limits, policy, audit, Optional.empty(), ServiceTokenConfig.defaults());
    }

    /** Returns a copy with another OIDC setting. */
    public WardenConfig withOidc(Optional<OidcConfig> oidc) {
        return new WardenConfig(source, listeners, targets, identities, limits, policy, audit, oidc, serviceTokens, control);
    }

    /** Returns a copy with other service-token settings. */
    public WardenConfig withServiceTokens(ServiceTokenConfig serviceTokens) {
        return new WardenConfig(source, listeners, targets, identities, limits, policy, audit, oidc, serviceTokens, control);
    }

    /**
     * Tries every secret reference and describes those that cannot be resolved now. Loading does not
     * do this, because secrets are often mounted only where the gateway runs, not where the file is
     * checked; {@code warden config validate} reports these as warnings.
     */
    public List<String> checkSecretsResolvable() {
        List<String> problems = new ArrayList<>();
        for (TargetConfig target : targets.values()) {
            String field = "targets." + target.name() + ".credentials.";
            check(field + "read_only.password", target.readOnly().password(), problems);
            target.readWrite().ifPresent(credential -> check(field + "read_write.password", credential.password(), problems));
        }
        return List.copyOf(problems);
    }

    private static void check(String field, SecretReference reference, List<String> problems) {
        try {
            reference.resolve();
        } catch (SecretUnavailableException e) {
            problems.add(field + ": " + e.getMessage());
        }
    }
}
