package dev.warden.config;

import static java.util.Objects.requireNonNull;

/**
 * One thing wrong with a configuration file.
 *
 * @param line 1-based, or 0 when the problem concerns the file as a whole
 * @param column 1-based, or 0 when the problem concerns the file as a whole
 * @param field the path of the offending key, such as {@code targets[0].port}; empty for syntax errors
 */
public record ConfigProblem(String file, int line, int column, String field, String message) {

    public ConfigProblem {
        requireNonNull(file, "file is null");
        requireNonNull(field, "field is null");
        requireNonNull(message, "message is null");
    }

    /** {@code warden.yaml:12:11: targets[0].port: must be between 1 and 65535 (got 70000)}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(file);
        if (line > 0) {
            text.append(':').append(line).append(':').append(column);
        }
        text.append(": ");
        if (!field.isEmpty()) {
            text.append(field).append(": ");
        }
        return text.append(message).toString();
    }
}
