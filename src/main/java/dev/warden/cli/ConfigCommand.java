package dev.warden.cli;

import dev.warden.config.ConfigException;
import dev.warden.config.ConfigLoader;
import dev.warden.config.WardenConfig;
import dev.warden.policy.Policy;
import dev.warden.policy.PolicyLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "config",
        description = "Work with the gateway configuration file.",
        subcommands = {ConfigCommand.Validate.class})
final class ConfigCommand implements Runnable {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: validate");
    }

    @Command(
            name = "validate",
            description = {
                "Check a configuration file: syntax, unknown keys, values, referenced files.",
                "Secrets are not needed to pass; those that cannot be resolved here are reported as warnings."
            },
                exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:the file is valid (warnings may have been printed)", "1:the file is not valid"})
    static final class Validate implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Parameters(paramLabel = "FILE", description = "the YAML configuration file")
        Path file;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            WardenConfig config;
            Policy policy = null;
            try {
                config = ConfigLoader.load(file);
                if (config.policy().isPresent()) {
                    policy = PolicyLoader.load(config.policy().get());
                }
            } catch (ConfigException e) {
                err.println(e.getMessage());
                err.flush();
                return 1;
            }
            out.printf("%s: OK (%s, %s, %s)%n", file,
                    count(config.listeners().size(), "listener", "listeners"),
                    count(config.targets().size(), "target", "targets"),
                    count(config.identities().size(), "identity", "identities"));
            if (policy != null) {
                out.printf("%s: OK (policy %s, %d rules)%n", config.policy().get(), policy.shortVersion(),
                        policy.rules().size());
            }
            out.flush();
            if (policy == null) {
                err.println(file + ": warning: no policy: every statement will be refused (rule warden-no-policy)");
            }
            for (String warning : config.checkSecretsResolvable()) {
                err.println(file + ": warning: " + warning);
            }
            err.flush();
            return 0;
        }

        private static String count(int count, String singular, String plural) {
            return count + " " + (count == 1 ? singular : plural);
        }
    }
}
