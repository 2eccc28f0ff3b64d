package dev.warden.control;

import static java.util.Objects.requireNonNull;

import dev.warden.config.ControlConfig;
import dev.warden.identity.Identity;
import dev.warden.identity.ScramVerifier;
import dev.warden.policy.ApprovalRequirement;
import dev.warden.policy.Policy;
import dev.warden.policy.PolicyRule;
import dev.warden.policy.Subject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Authenticates control-plane calls: HTTP Basic with an identity's name and its token (the same
 * secret it connects to databases with), checked against the identity's SCRAM verifier so the
 * gateway still holds no token. Roles come from groups ({@code control.roles}); naming someone as an
 * approver in a policy rule also makes them an approver.
 */
public final class CallerAuthenticator {
    /** A verifier for unknown names, so that they cost as much as known ones (no user enumeration by timing). */
    private final ScramVerifier decoy = ScramVerifier.create("decoy-" + System.nanoTime(), new SecureRandom());
    private final Map<String, Identity> identities;
    private final ControlConfig control;
    private final Supplier<Optional<Policy>> policy;

    public CallerAuthenticator(Map<String, Identity> identities, ControlConfig control, Supplier<Optional<Policy>> policy) {
        this.identities = Map.copyOf(requireNonNull(identities, "identities is null"));
        this.control = requireNonNull(control, "control is null");
        this.policy = requireNonNull(policy, "policy is null");
    }

    /** The caller of an {@code Authorization} header, or empty when it does not authenticate. */
    public Optional<Caller> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String name = decoded.substring(0, colon);
        String token = decoded.substring(colon + 1);
        Identity identity = identities.get(name);
        // OIDC-only identities have no verifier: they cannot use Basic (browser login comes with the web UI).
        boolean matches = (identity == null ? decoy : identity.verifier().orElse(decoy)).matches(token);
        if (identity == null || identity.verifier().isEmpty() || !matches) {
            return Optional.empty();
        }
        return Optional.of(callerFor(identity));
    }

    Caller callerFor(Identity identity) {
        return callerFor(Subject.of(identity));
    }

    /** The identity as configured, if it is (a person logging in through OIDC need not be). */
    Optional<Identity> configured(String name) {
        return Optional.ofNullable(identities.get(name));
    }

    /**
     * A person an identity provider vouched for: its groups plus those the configuration gives the
     * identity (which the provider cannot take away), read-only as configured.
     */
    Subject subjectFor(String identity, java.util.Collection<String> providerGroups) {
        java.util.Set<String> groups = new java.util.LinkedHashSet<>(providerGroups);
        Optional<Identity> configured = configured(identity);
        configured.ifPresent(known -> groups.addAll(known.groups()));
        boolean readOnly = configured.map(known -> known.access() == dev.warden.identity.UpstreamAccess.READ_ONLY)
                .orElse(false);
        return new Subject(identity, groups, readOnly);
    }

    /** Roles are worked out on every request, so a policy reload or a role change applies at once. */
    Caller callerFor(Subject subject) {
        Optional<Policy> active = policy.get();
        Set<String> groups = active.map(p -> p.groupsOf(subject)).orElse(subject.groups());
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        for (String role : ControlConfig.ROLES) {
            if (control.groupsWithRole(role).stream().anyMatch(groups::contains)) {
                roles.add(Role.valueOf(role.toUpperCase(java.util.Locale.ROOT)));
            }
        }
        if (active.isPresent() && namedApprover(active.get(), subject.identity(), groups)) {
            roles.add(Role.APPROVER);
        }
        return new Caller(subject.identity(), groups, roles);
    }

    private static boolean namedApprover(Policy policy, String identity, Set<String> groups) {
        for (PolicyRule rule : policy.rules()) {
            Optional<ApprovalRequirement> requirement = rule.approval();
            if (requirement.isPresent() && (requirement.get().identities().contains(identity)
                    || requirement.get().groups().stream().anyMatch(groups::contains))) {
                return true;
            }
        }
        return false;
    }
}
