package dev.warden.testing;

import static java.util.Objects.requireNonNull;

/** What an external program left behind. */
public record ProcessResult(int exitCode, String stdout, String stderr) {
    public ProcessResult {
        requireNonNull(stdout, "stdout is null");
        requireNonNull(stderr, "stderr is null");
    }

    public boolean succeeded() {
        return exitCode == 0;
    }
}
