package dev.warden.config;

import dev.warden.identity.Identity;
import dev.warden.identity.ScramVerifier;
import dev.warden.identity.UpstreamAccess;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads {@code identities:}. */
final class IdentitySection {

    private static final List<String> KEYS = List.of("name", "verifier", "groups", "access");
    private static final Map<String, UpstreamAccess> ACCESS = new LinkedHashMap<>();

    static {
        for (UpstreamAccess access : UpstreamAccess.values()) {
            ACCESS.put(access.configName(), access);
        }
    }

    private IdentitySection() {}

    /**
     * @param oidcConfigured whether identities may leave out the verifier and log in with an OIDC access
     *     token instead; without {@code oidc:} such an identity could never log in, a mistake in the file
     */
    static Map<String, Identity> read(YamlNode node, boolean oidcConfigured) {
        Map<String, Identity> identities = new LinkedHashMap<>();
        Map<String, Integer> names = new LinkedHashMap<>();
        for (YamlNode item : node.asSequence().orElse(List.of())) {
            item.asMapping(KEYS).ifPresent(mapping -> readIdentity(mapping, oidcConfigured).ifPresent(identity -> {
                Integer firstLine = names.putIfAbsent(identity.name(), item.line());
                if (firstLine != null) {
                    mapping.get("name").orElseThrow().problem("duplicate identity name (first defined at line " + firstLine + ")");
                } else {
                    identities.put(identity.name(), identity);
                }
            }));
        }
        return identities;
    }

    private static Optional<Identity> readIdentity(YamlMapping mapping, boolean oidcConfigured) {
        ConfigProblems problems = mapping.self().problems();
        int before = problems.size();
        String name = mapping.required("name", YamlNode::asName);
        // Without a verifier the identity logs in with an OIDC access token instead of SCRAM.
        ScramVerifier verifier = mapping.optional("verifier", IdentitySection::readVerifier);
        if (!oidcConfigured && mapping.get("verifier").isEmpty()) {
            mapping.self().problem(mapping.field("verifier"),
                    "is required unless oidc: is configured (then the identity logs in with an access token)");
        }
        List<String> groups = mapping.value("groups", IdentitySection::readGroups, List.of());
        UpstreamAccess access = mapping.value("access", node -> node.asChoice(ACCESS), UpstreamAccess.READ_ONLY);
        if (problems.size() != before) {
            return Optional.empty();
        }
        return Optional.of(new Identity(name, Optional.ofNullable(verifier), groups, access));
    }

    private static Optional<ScramVerifier> readVerifier(YamlNode node) {
        return node.asString().flatMap(text -> {
            try {
                return Optional.of(ScramVerifier.parse(text));
            } catch (IllegalArgumentException e) {
                // parse's messages never contain the text: a verifier allows an offline dictionary attack.
                node.problem(e.getMessage() + "; create one with: warden token create NAME");
                return Optional.empty();
            }
        });
    }

    static Optional<List<String>> readGroups(YamlNode node) {
        return node.asSequence().flatMap(items -> {
            List<String> groups = new ArrayList<>();
            boolean valid = true;
            for (YamlNode item : items) {
                Optional<String> group = item.asName();
                group.ifPresent(groups::add);
                valid &= group.isPresent();
            }
            return valid ? Optional.of(groups) : Optional.empty();
        });
    }
}
