package dev.warden.config;

import static java.util.Objects.requireNonNull;

import dev.warden.identity.Names;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A node of the YAML document together with its field path, such as {@code targets[0].port}. Each
 * {@code asXxx} method either returns the typed value or records a problem located at this node and
 * returns empty, so that reading continues and every problem in the file is reported at once.
 *
 * <p>Messages quote a value only where it cannot be secret (numbers, durations, enumerated words).
 */
public final class YamlNode {

    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]{1,18}");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)");

    private final Node node;
    private final String path;
    private final ConfigProblems problems;

    public YamlNode(Node node, String path, ConfigProblems problems) {
        this.node = requireNonNull(node, "node is null");
        this.path = requireNonNull(path, "path is null");
        this.problems = requireNonNull(problems, "problems is null");
    }

    public String path() {
        return path;
    }

    public int line() {
        return node.getStartMark().getLine() + 1;
    }

    public ConfigProblems problems() {
        return problems;
    }

    public void problem(String message) {
        problems.add(node.getStartMark(), path, message);
    }

    /** A problem with another field (typically a missing one) shown at this node's position. */
    public void problem(String field, String message) {
        problems.add(node.getStartMark(), field, message);
    }

    /** True for a single value (not a list or mapping), so a reader can accept either one value or a list. */
    public boolean isScalar() {
        return node instanceof ScalarNode && !isNull();
    }

    /** YAML's {@code ~}, {@code null} and an empty value all mean "not set". */
    public boolean isNull() {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    public Optional<YamlMapping> asMapping(List<String> allowedKeys) {
        if (!(node instanceof MappingNode mapping)) {
            problem("must be a mapping of " + String.join(", ", allowedKeys));
            return Optional.empty();
        }
        return Optional.of(YamlMapping.of(mapping, this, allowedKeys));
    }

    /**
     * A mapping whose keys are names the author chooses (such as the groups of a policy), in file
     * order. Each key comes as a node whose path is that of its value, so a bad name is reported at
     * the key; duplicate keys are problems.
     */
    public Optional<List<Map.Entry<YamlNode, YamlNode>>> asNamedMapping(String what) {
        if (!(node instanceof MappingNode mapping)) {
            problem("must be a mapping of " + what);
            return Optional.empty();
        }
        List<Map.Entry<YamlNode, YamlNode>> entries = new ArrayList<>();
        Map<String, Integer> firstLines = new java.util.HashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                problems.add(tuple.getKeyNode().getStartMark(), path, "keys must be plain names");
                continue;
            }
            String field = path.isEmpty() ? keyNode.getValue() : path + "." + keyNode.getValue();
            Integer firstLine = firstLines.putIfAbsent(keyNode.getValue(), keyNode.getStartMark().getLine() + 1);
            if (firstLine != null) {
                problems.add(keyNode.getStartMark(), field, "duplicate key (first set at line " + firstLine + ")");
                continue;
            }
            entries.add(Map.entry(new YamlNode(keyNode, field, problems), new YamlNode(tuple.getValueNode(), field, problems)));
        }
        return Optional.of(entries);
    }

    public Optional<List<YamlNode>> asSequence() {
        if (!(node instanceof SequenceNode sequence)) {
            problem("must be a list");
            return Optional.empty();
        }
        List<YamlNode> items = new ArrayList<>();
        List<Node> values = sequence.getValue();
        for (int i = 0; i < values.size(); i++) {
            items.add(new YamlNode(values.get(i), path + "[" + i + "]", problems));
        }
        return Optional.of(items);
    }

    /** A single word: no whitespace or control characters (names, claims, entity ids). */
    public Optional<String> asWord() {
        return asUnbrokenString("must be a single word without whitespace");
    }

    /** A URL as written; one that does not parse is "not a valid URL". */
    public Optional<java.net.URI> asUri() {
        return asString().flatMap(text -> {
            try {
                return Optional.of(new java.net.URI(text));
            } catch (java.net.URISyntaxException e) {
                problem("is not a valid URL");
                return Optional.empty();
            }
        });
    }

    /** Whether a URL's host names this machine, where plain http cannot be intercepted on the way. */
    static boolean isLoopbackHost(String host) {
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
    }

    public Optional<String> asString() {
        if (!(node instanceof ScalarNode scalar)) {
            problem("must be a single value, not a " + (node instanceof SequenceNode ? "list" : "mapping"));
            return Optional.empty();
        }
        if (isNull()) {
            problem("must not be empty");
            return Optional.empty();
        }
        return Optional.of(scalar.getValue());
    }

    /**
     * A reference to a secret ({@code env:NAME} or {@code file:/path}); a literal is a problem whose
     * message never repeats the text, since it may be the secret itself.
     */
    public Optional<SecretReference> asSecretReference() {
        return asString().flatMap(text -> {
            try {
                return Optional.of(SecretReference.parse(text));
            } catch (IllegalArgumentException e) {
                problem(e.getMessage());
                return Optional.empty();
            }
        });
    }

    /** A name of a target, identity, group or role: what PostgreSQL would accept and keep intact. */
    public Optional<String> asName() {
        return asString().filter(name -> {
            Optional<String> problem = Names.problem(name);
            problem.ifPresent(this::problem);
            return problem.isEmpty();
        });
    }

    /** A host name or address: no whitespace, so that a stray space is not taken for part of it. */
    public Optional<String> asHost() {
        return asUnbrokenString("must be a host name or IP address without whitespace");
    }

    /** A non-empty string without whitespace or control characters; otherwise the problem is reported. */
    private Optional<String> asUnbrokenString(String problem) {
        return asString().filter(text -> {
            if (text.isEmpty() || text.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
                problem(problem);
                return false;
            }
            return true;
        });
    }

    public Optional<Integer> asInteger(int min, int max) {
        return asString().flatMap(text -> {
            if (!INTEGER.matcher(text).matches()) {
                problem("must be an integer (got '" + text + "')");
                return Optional.empty();
            }
            long value = Long.parseLong(text);
            if (value < min || value > max) {
                problem("must be between " + min + " and " + max + " (got " + text + ")");
                return Optional.empty();
            }
            return Optional.of((int) value);
        });
    }

    /** A duration such as {@code 500ms}, {@code 10s}, {@code 5m} or {@code 1h}; a bare {@code 0} is also accepted. */
    public Optional<Duration> asDuration(boolean zeroAllowed) {
        return asString().flatMap(text -> {
            Optional<Duration> duration = parseDuration(text);
            if (duration.isEmpty()) {
                problem("must be a duration such as 500ms, 10s, 5m or 1h (got '" + text + "')");
            } else if (!zeroAllowed && duration.get().isZero()) {
                problem("must be greater than 0");
                return Optional.empty();
            }
            return duration;
        });
    }

    public <E> Optional<E> asChoice(Map<String, E> choices) {
        return asString().flatMap(text -> {
            E value = choices.get(text);
            if (value == null) {
                problem("must be one of " + String.join(", ", choices.keySet()) + " (got '" + text + "')");
            }
            return Optional.ofNullable(value);
        });
    }

    /**
     * A file that must exist and be readable now, so that a wrong path fails at start-up or in CI
     * rather than on the first TLS handshake. Relative paths are taken from the configuration file's
     * directory, so that the file and what it refers to can move together.
     */
    public Optional<Path> asReadableFile(Path baseDirectory) {
        return asString().flatMap(text -> {
            Path file;
            try {
                file = baseDirectory.resolve(text).normalize();
            } catch (InvalidPathException e) {
                problem("is not a valid path");
                return Optional.empty();
            }
            if (!Files.exists(file)) {
                problem("file " + file + " does not exist");
            } else if (!Files.isRegularFile(file)) {
                problem(file + " is not a regular file");
            } else if (!Files.isReadable(file)) {
                problem("file " + file + " is not readable");
            } else {
                return Optional.of(file);
            }
            return Optional.empty();
        });
    }

    public static Optional<Duration> parseDuration(String text) {
        if (text.equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(matcher.group(1));
        return Optional.of(switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> throw new IllegalStateException("unit matched by the pattern but not handled");
        });
    }
}
