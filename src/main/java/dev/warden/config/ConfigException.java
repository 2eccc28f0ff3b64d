package dev.warden.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The configuration file is unusable. The message lists every problem found, one per line, each as
 * {@code <file>:<line>:<column>: <field path>: <what is wrong>}, so editors and CI can jump to it.
 * No message quotes a password or a verifier.
 */
public final class ConfigException extends Exception {

    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(ConfigProblem problem) {
        this(List.of(requireNonNull(problem, "problem is null")));
    }

    private static String format(List<ConfigProblem> problems) {
        requireNonNull(problems, "problems is null");
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        return problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    /** The line of the first problem; 0 if it concerns the whole file. */
    public int line() {
        return problems.get(0).line();
    }

    public int column() {
        return problems.get(0).column();
    }

    /** The field path of the first problem; empty for a YAML syntax error. */
    public String field() {
        return problems.get(0).field();
    }
}
