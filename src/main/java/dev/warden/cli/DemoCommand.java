package dev.warden.cli;

import dev.warden.demo.DemoGateway;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo",
        description = "Start an embedded PostgreSQL with sample PII data and the gateway in front of it; Ctrl-C stops both.")
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "6432", description = "gateway port (default: ${DEFAULT-VALUE})")
    int port;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DemoGateway demo;
        try {
            demo = DemoGateway.start(port);
        } catch (Exception e) {
            spec.commandLine().getErr().println("warden demo: cannot start: " + e.getMessage());
            return ExitCode.START_FAILED.code();
        }
        demo.printWelcome(out);
        out.flush();
        StartCommand.awaitShutdown(demo);
        return ExitCode.OK.code();
    }
}
