package dev.warden.masking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A masking key in a file of its own, referenced by {@code file:} from a test policy; deleted on close. */
final class MaskingKeyFile implements AutoCloseable {
    private final Path directory;
    private final Path file;

    private MaskingKeyFile(Path directory, Path file) {
        this.directory = directory;
        this.file = file;
    }

    static MaskingKeyFile create() throws IOException {
        Path directory = Files.createTempDirectory("warden-masking-key");
        Path file = directory.resolve("masking.key");
        Files.writeString(file, "masking-test-key-0123456789abcdef");
        return new MaskingKeyFile(directory, file);
    }

    String path() {
        return file.toString();
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(directory);
    }
}
