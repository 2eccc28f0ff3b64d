package dev.warden.config;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Where a secret lives: {@code env:NAME} (an environment variable) or {@code file:/absolute/path}
 * (a file, as mounted by Kubernetes or Docker secrets). The configuration file is kept in git, so it
 * holds only these references; the values are read when an upstream connection needs them.
 */
public final class SecretReference {

    private static final String ENV_PREFIX = "env:";
    private static final String FILE_PREFIX = "file:";
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final String EXPECTED = "must be a reference, env:NAME or file:/absolute/path"
            + " (literal passwords are not allowed in the configuration file)";

    private final String text;
    private final String environmentVariable;
    private final Path file;

    private SecretReference(String text, String environmentVariable, Path file) {
        this.text = text;
        this.environmentVariable = environmentVariable;
        this.file = file;
    }

    /**
     * Parses a reference. Anything else, a literal password above all, is refused with a message
     * that does not repeat the text, since it may well be the password itself.
     */
    public static SecretReference parse(String text) {
        requireNonNull(text, "text is null");
        if (text.startsWith(ENV_PREFIX)) {
            String name = text.substring(ENV_PREFIX.length());
            if (!ENV_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(
                        "env: reference needs an environment variable name of letters, digits and underscores");
            }
            return new SecretReference(text, name, null);
        }
        if (text.startsWith(FILE_PREFIX)) {
            String path = text.substring(FILE_PREFIX.length());
            // Relative to what? The working directory of a service is rarely what its author had in mind.
            if (!path.startsWith("/") || path.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("file: reference needs an absolute path, such as file:/run/secrets/name");
            }
            return new SecretReference(text, null, Path.of(path));
        }
        throw new IllegalArgumentException(EXPECTED);
    }

    /** Reads the secret now. */
    public String resolve() throws SecretUnavailableException {
        return resolve(System::getenv);
    }

    String resolve(UnaryOperator<String> environment) throws SecretUnavailableException {
        String value = environmentVariable != null ? fromEnvironment(environment) : fromFile();
        if (value.isEmpty()) {
            throw new SecretUnavailableException(describe() + " is empty");
        }
        return value;
    }

    private String fromEnvironment(UnaryOperator<String> environment) throws SecretUnavailableException {
        String value = environment.apply(environmentVariable);
        if (value == null) {
            throw new SecretUnavailableException(describe() + " is not set");
        }
        return value;
    }

    /** Drops one trailing newline: {@code echo secret > file} adds it, and it is never part of a password. */
    private String fromFile() throws SecretUnavailableException {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new SecretUnavailableException("cannot read " + describe() + ": No such file");
        } catch (AccessDeniedException e) {
            throw new SecretUnavailableException("cannot read " + describe() + ": Permission denied");
        } catch (CharacterCodingException e) {
            throw new SecretUnavailableException("cannot read " + describe() + ": not valid UTF-8");
        } catch (IOException e) {
            throw new SecretUnavailableException("cannot read " + describe() + ": " + e.getClass().getSimpleName());
        }
        if (content.endsWith("\r\n")) {
            return content.substring(0, content.length() - 2);
        }
        if (content.endsWith("\n")) {
            return content.substring(0, content.length() - 1);
        }
        return content;
    }

    private String describe() {
        return environmentVariable != null ? "environment variable " + environmentVariable : "file " + file;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SecretReference that && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The reference itself, such as {@code env:WARDEN_RO_PASSWORD}; safe to log. */
    @Override
    public String toString() {
        return text;
    }
}
