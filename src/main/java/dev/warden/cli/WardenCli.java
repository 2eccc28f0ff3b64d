package dev.warden.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The single {@code warden} executable. {@link #run(PrintWriter, PrintWriter, String...)} returns the
 * exit code instead of exiting so that commands can be tested inside one JVM.
 */
@Command(
        name = "warden",
        mixinStandardHelpOptions = true,
        versionProvider = WardenCli.Version.class,
        description = "Access gateway between AI agents and production databases.",
        subcommands = {
            StartCommand.class,
            DemoCommand.class,
            ConfigCommand.class,
            TokenCommand.class,
            ApprovalsCommand.class,
            DecideCommand.Approve.class,
            DecideCommand.Deny.class,
            GrantCommand.class,
            LoginCommand.class,
            StatusCommand.class,
            PolicyCommand.class,
            SessionsCommand.class,
            ReplayCommand.class,
            ExportCommand.class,
            AuditCommand.class,
            CommandLine.HelpCommand.class
        })
public final class WardenCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        System.exit(code);
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new WardenCli());
        commandLine.setOut(out);
        commandLine.setErr(err);
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"warden " + projectVersion()};
        }
    }

    static String projectVersion() {
        Properties properties = new Properties();
        try (InputStream in = WardenCli.class.getResourceAsStream("/dev/warden/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "unknown");
    }
}
