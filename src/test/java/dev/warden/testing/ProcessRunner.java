package dev.warden.testing;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external client such as {@code psql} or {@code pgbench} to completion, with a deadline.
 *
 * <pre>{@code
 * ProcessResult result = ProcessRunner.program("psql")
 *         .args("-h", "127.0.0.1", "-p", port, "-U", user, "-d", "shop", "-c", "select 1")
 *         .env("PGPASSWORD", password)
 *         .timeout(Duration.ofSeconds(30))
 *         .run();
 * }</pre>
 */
public final class ProcessRunner {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final String program;
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private String stdin = "";
    private Path workingDirectory;
    private Duration timeout = DEFAULT_TIMEOUT;

    private ProcessRunner(String program) {
        this.program = requireNonNull(program, "program is null");
    }

    public static ProcessRunner program(String program) {
        return new ProcessRunner(program);
    }

    /** Whether {@code program} is an executable path, or a name found on the PATH. */
    public static boolean available(String program) {
        requireNonNull(program, "program is null");
        if (program.contains(File.separator)) {
            return Files.isExecutable(Path.of(program));
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }

    public ProcessRunner args(Object... values) {
        for (Object value : values) {
            args.add(String.valueOf(requireNonNull(value, "argument is null")));
        }
        return this;
    }

    public ProcessRunner env(String name, String value) {
        env.put(requireNonNull(name, "name is null"), requireNonNull(value, "value is null"));
        return this;
    }

    /** The working directory; the test JVM's by default. */
    public ProcessRunner directory(Path directory) {
        this.workingDirectory = requireNonNull(directory, "directory is null");
        return this;
    }

    /** Text written to the program's standard input; empty (not the terminal) by default. */
    public ProcessRunner stdin(String text) {
        this.stdin = requireNonNull(text, "text is null");
        return this;
    }

    public ProcessRunner timeout(Duration timeout) {
        requireNonNull(timeout, "timeout is null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        this.timeout = timeout;
        return this;
    }

    /**
     * Runs the program and waits for it. A program still running at the deadline is killed,
     * with its children, and the run fails with what it had printed so far.
     */
    public ProcessResult run() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(program);
        command.addAll(args);
        // Output goes to files rather than pipes: nothing to drain concurrently, and a chatty
        // program can never block on a full pipe.
        Path directory = Files.createTempDirectory("warden-process-");
        Path in = Files.writeString(directory.resolve("stdin"), stdin, StandardCharsets.UTF_8);
        Path out = directory.resolve("stdout");
        Path err = directory.resolve("stderr");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(in.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            if (workingDirectory != null) {
                builder.directory(workingDirectory.toFile());
            }
            // libpq reads PGHOST, PGPASSWORD, PGSSLMODE... from the environment; settings left
            // over from the developer's shell must not decide what a test connects to.
            builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("%s did not finish within %s%nstdout:%n%s%nstderr:%n%s"
                        .formatted(command, timeout, read(out), read(err)));
            }
            return new ProcessResult(process.exitValue(), read(out), read(err));
        }
        finally {
            for (Path file : List.of(in, out, err, directory)) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static String read(Path file) throws IOException {
        // Decoded leniently: a test failing on one bad byte would hide what the program said.
        return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
    }
}
