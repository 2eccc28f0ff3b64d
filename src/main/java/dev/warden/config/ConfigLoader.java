package dev.warden.config;

import static java.util.Objects.requireNonNull;

import dev.warden.identity.Identity;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads and validates the gateway's YAML configuration. The YAML is composed into SnakeYAML nodes,
 * which keep their line and column, and read by hand rather than data-bound, so that each problem
 * can name its position and field path and so that unknown keys are caught. Secrets are not resolved
 * here; see {@link WardenConfig#checkSecretsResolvable()}.
 */
public final class ConfigLoader {

    private static final List<String> KEYS = List.of("listeners", "targets", "identities", "limits", "policy", "data_dir", "store", "recording",
            "oidc", "service_tokens", "control", "approvals");

    /** A configuration has no use for anchors; a few are tolerated, a "billion laughs" document is not. */
    private static final int MAX_ALIASES = 20;
    private static final int MAX_NESTING = 20;
    private static final int MAX_CODE_POINTS = 4 * 1024 * 1024;

    private ConfigLoader() {}

    public static WardenConfig load(Path file) throws ConfigException {
        requireNonNull(file, "file is null");
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw wholeFile(file, "cannot read: No such file");
        } catch (AccessDeniedException e) {
            throw wholeFile(file, "cannot read: Permission denied");
        } catch (CharacterCodingException e) {
            throw wholeFile(file, "cannot read: not valid UTF-8");
        } catch (IOException e) {
            throw wholeFile(file, "cannot read: " + e.getMessage());
        }
        return parse(yaml, file);
    }

    /**
     * Parses configuration text. {@code sourceForMessages} names the file in messages, and relative
     * paths in the configuration are resolved against its directory.
     */
    public static WardenConfig parse(String yaml, Path sourceForMessages) throws ConfigException {
        requireNonNull(yaml, "yaml is null");
        requireNonNull(sourceForMessages, "sourceForMessages is null");
        ConfigProblems problems = new ConfigProblems(sourceForMessages.toString());
        Node root = compose(yaml, problems);
        if (root == null) {
            throw wholeFile(sourceForMessages, "is empty; it needs at least listeners: and targets:");
        }
        Path baseDirectory = sourceForMessages.toAbsolutePath().getParent();
        YamlMapping top = new YamlNode(root, "", problems).asMapping(KEYS).orElseThrow(problems::toException);
        List<ListenerConfig> listeners = top.require("listeners")
                .map(node -> ListenerSection.read(node, baseDirectory))
                .orElse(List.of());
        Map<String, TargetConfig> targets = top.require("targets")
                .map(node -> TargetSection.read(node, baseDirectory))
                .orElse(Map.of());
        boolean oidcConfigured = top.get("oidc").isPresent();
        Map<String, Identity> identities = top.get("identities").map(node -> IdentitySection.read(node, oidcConfigured))
                .orElse(Map.of());
        LimitsConfig limits = top.get("limits").map(node -> LimitsSection.read(node).orElse(null))
                .orElse(ConfigDefaults.limits());
        Path policy = top.optional("policy", node -> node.asReadableFile(baseDirectory));
        AuditConfig audit = AuditSection.read(top, baseDirectory);
        Optional<OidcConfig> oidc = top.get("oidc").flatMap(OidcSection::read);
        ServiceTokenConfig serviceTokens = top.get("service_tokens").map(OidcSection::readServiceTokens)
                .orElse(ServiceTokenConfig.defaults());
        ControlConfig control = ControlSection.read(top, baseDirectory);
        problems.throwIfAny();
        return new WardenConfig(sourceForMessages, listeners, targets, identities, limits, Optional.ofNullable(policy), audit,
                oidc, serviceTokens, control);
    }

    /**
     * Composes YAML text into nodes that keep their line and column, with the limits every Warden
     * file is read under; a syntax error is recorded in {@code problems} and thrown.
     */
    public static Node compose(String yaml, ConfigProblems problems) throws ConfigException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_NESTING);
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setAllowRecursiveKeys(false);
        try {
            // compose() builds nodes only and never instantiates classes named by tags.
            return new Yaml(new SafeConstructor(options)).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            // getMessage() would append a snippet of the offending line, which may hold a secret.
            String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
            String message = e.getContext() == null ? problem : e.getContext() + ": " + problem;
            if (e.getProblemMark() != null) {
                problems.add(e.getProblemMark(), "", message);
            } else {
                problems.addForWholeFile(message);
            }
        } catch (YAMLException e) {
            problems.addForWholeFile(e.getMessage());
        }
        problems.throwIfAny();
        throw new IllegalStateException("a YAML error was caught but not recorded");
    }

    private static ConfigException wholeFile(Path file, String message) {
        return new ConfigException(new ConfigProblem(file.toString(), 0, 0, "", message));
    }
}
