package dev.warden.cli;

/** Process exit codes of the {@code warden} command, so scripts can tell failures apart. */
enum ExitCode {
    OK(0),
    CONFIG_ERROR(1),
    USAGE(2),
    START_FAILED(3);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }
}
