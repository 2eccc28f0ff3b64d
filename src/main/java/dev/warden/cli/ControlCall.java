package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that makes one call to the control plane's REST API: the shared options (URL, user,
 * token), and one way of reporting what went wrong, with exit codes scripts can tell apart.
 */
abstract class ControlCall implements Callable<Integer> {
    /** The control plane answered, and refused (the message says why). */
    static final int REFUSED = 5;
    /** The control plane could not be reached. */
    static final int UNREACHABLE = 6;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Mixin
    ControlOptions control;

    /**
     * @throws IllegalArgumentException for input the command itself refuses (exit code 2)
     */
    abstract ControlApiClient.Response send(ControlApiClient client) throws ControlApiClient.UnreachableException;

    abstract void success(JsonNode body, PrintWriter out);

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        String name = spec.qualifiedName(" ");
        ControlApiClient.Response response;
        try {
            response = send(control.client());
        } catch (IllegalArgumentException e) {
            err.println(name + ": " + e.getMessage());
            return ExitCode.USAGE.code();
        } catch (ControlApiClient.UnreachableException e) {
            err.println(name + ": " + e.getMessage());
            return UNREACHABLE;
        }
        if (!response.ok()) {
            err.println(name + ": " + response.error());
            return REFUSED;
        }
        success(response.body(), spec.commandLine().getOut());
        return ExitCode.OK.code();
    }

    /** Request ids and grant ids go into URL paths: nothing but the characters they are made of. */
    static String checkedId(String id, String what) {
        if (!id.matches("[A-Za-z0-9_]{1,64}")) {
            throw new IllegalArgumentException("not " + what);
        }
        return id;
    }
}
