package dev.warden.demo;

import dev.warden.testing.ProcessResult;
import dev.warden.testing.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A directory laid out as the documentation assumes the reader's is, so that its commands run as
 * typed: {@code target/warden.jar} (the jar this build made), {@code src/} (the repository's), and
 * {@code data/}, which is the running demo's data directory (so {@code --store sqlite:data/warden.db}
 * is the demo's store). {@code warden} is on the PATH (the jar, as an installed CLI would be), and the
 * environment holds what the demo tells the reader to export. Commands run in {@code bash}.
 */
final class DemoWorkspace implements AutoCloseable {
    private static final Path REPOSITORY = Path.of("").toAbsolutePath();

    private final Path directory;
    private final Map<String, String> environment = new LinkedHashMap<>();

    private DemoWorkspace(Path directory) {
        this.directory = directory;
    }

    static DemoWorkspace create(Path demoDataDirectory) throws IOException {
        Path jar = REPOSITORY.resolve("target/warden.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the documented commands run the built jar (mvn package)");
        }
        Path directory = Files.createTempDirectory("warden-docs-");
        Files.createDirectories(directory.resolve("target"));
        Files.createSymbolicLink(directory.resolve("target/warden.jar"), jar);
        Files.createSymbolicLink(directory.resolve("src"), REPOSITORY.resolve("src"));
        Files.createSymbolicLink(directory.resolve("data"), demoDataDirectory);
        Path bin = Files.createDirectories(directory.resolve("bin"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path warden = Files.writeString(bin.resolve("warden"), "#!/bin/sh\nexec " + java + " -jar " + jar + " \"$@\"\n");
        Files.setPosixFilePermissions(warden, PosixFilePermissions.fromString("rwx------"));
        DemoWorkspace workspace = new DemoWorkspace(directory);
        workspace.environment.put("PATH", bin + ":" + java.getParent() + ":" + System.getenv("PATH"));
        // The reader's own psql start-up file must not change what the documented commands print.
        workspace.environment.put("PSQLRC", "/dev/null");
        return workspace;
    }

    Path directory() {
        return directory;
    }

    /** Sets a variable as the reader's shell would have it (after an {@code export} the demo prints). */
    void export(String name, String value) {
        environment.put(name, value);
    }

    ProcessResult shell(String command) throws IOException, InterruptedException {
        return shell(command, "");
    }

    ProcessResult shell(String command, String stdin) throws IOException, InterruptedException {
        ProcessRunner runner = ProcessRunner.program("/bin/bash").args("-c", command).directory(directory).stdin(stdin)
                .timeout(Duration.ofSeconds(60));
        environment.forEach(runner::env);
        return runner.run();
    }

    @Override
    public void close() throws IOException {
        // Links are deleted, never followed: the demo and the repository stay as they are.
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
