package dev.warden.config;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;

/** Collects problems while the whole file is read, so that one run of the validator shows them all. */
public final class ConfigProblems {

    private final String file;
    private final List<ConfigProblem> problems = new ArrayList<>();

    public ConfigProblems(String file) {
        this.file = requireNonNull(file, "file is null");
    }

    public String file() {
        return file;
    }

    /** SnakeYAML counts lines and columns from 0; editors and compilers count from 1. */
    public void add(Mark mark, String field, String message) {
        problems.add(new ConfigProblem(file, mark.getLine() + 1, mark.getColumn() + 1, field, message));
    }

    public void addForWholeFile(String message) {
        problems.add(new ConfigProblem(file, 0, 0, "", message));
    }

    /** Lets a reader tell whether the part it just read added problems, and so whether to build a value from it. */
    public int size() {
        return problems.size();
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public void throwIfAny() throws ConfigException {
        if (!problems.isEmpty()) {
            throw toException();
        }
    }

    /** Problems in file order, whatever order the sections were read in. */
    public ConfigException toException() {
        List<ConfigProblem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column));
        return new ConfigException(sorted);
    }
}
