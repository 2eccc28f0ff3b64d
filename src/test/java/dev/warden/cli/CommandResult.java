package dev.warden.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** What one in-process run of the {@code warden} executable printed and returned. */
record CommandResult(int exitCode, String out, String err) {

    static CommandResult run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = WardenCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CommandResult(exitCode, out.toString(), err.toString());
    }
}
