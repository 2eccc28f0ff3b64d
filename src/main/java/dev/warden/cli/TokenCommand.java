package dev.warden.cli;

import dev.warden.identity.Names;
import dev.warden.identity.ScramVerifier;
import dev.warden.identity.ServiceTokens;
import dev.warden.identity.UpstreamAccess;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "token",
        description = "Issue service tokens for identities.",
        subcommands = {TokenCommand.Create.class})
final class TokenCommand implements Runnable {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: create");
    }

    @Command(
            name = "create",
            description = {
                "Create a service token and print it once, with the identities: entry that holds its verifier.",
                "The token itself is not stored anywhere."
            })
    static final class Create implements Callable<Integer> {

        private static final Pattern PLAIN_SCALAR = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
        /** Words a YAML parser would read as null or a boolean rather than as a name, so they are quoted. */
        private static final List<String> YAML_KEYWORDS = List.of("null", "true", "false", "yes", "no", "on", "off", "y", "n");

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Parameters(paramLabel = "NAME", description = "the identity: the PostgreSQL user name the client will connect as")
        String name;

        @Option(names = "--groups", split = ",", paramLabel = "GROUP", description = "groups the identity belongs to, comma-separated")
        List<String> groups = new ArrayList<>();

        @Option(names = "--access", paramLabel = "ACCESS", defaultValue = "read_only",
                description = "read_only or read_write: which upstream credential its sessions use (default: ${DEFAULT-VALUE})")
        String access;

        @Override
        public Integer call() {
            check("NAME", name);
            for (String group : groups) {
                check("--groups", group);
            }
            UpstreamAccess upstreamAccess = UpstreamAccess.fromConfigName(access).orElseThrow(() ->
                    new CommandLine.ParameterException(spec.commandLine(), "--access must be read_only or read_write"));

            String token = ServiceTokens.newToken(new SecureRandom());
            ScramVerifier verifier = ScramVerifier.create(token, new SecureRandom());

            PrintWriter out = spec.commandLine().getOut();
            out.println("Service token for " + name + " (shown only this once):");
            out.println();
            out.println("    " + token);
            out.println();
            out.println("Add this entry under identities: in the configuration file:");
            out.println();
            out.println("  - name: " + yamlScalar(name));
            out.println("    verifier: \"" + verifier.encode() + "\"");
            out.println("    groups: [" + groups.stream().map(Create::yamlScalar).collect(Collectors.joining(", ")) + "]");
            out.println("    access: " + upstreamAccess.configName());
            out.println();
            out.println("The token is not stored anywhere; the configuration holds only its verifier.");
            out.println("The client uses it as the password for user " + name + ". If it is lost, create a new one.");
            out.flush();
            return 0;
        }

        private void check(String what, String value) {
            Optional<String> problem = Names.problem(value);
            if (problem.isPresent()) {
                throw new CommandLine.ParameterException(spec.commandLine(), what + " " + problem.get());
            }
        }

        /** Names pass {@link Names} (no whitespace or control characters), so escaping quotes and backslashes suffices. */
        private static String yamlScalar(String value) {
            if (PLAIN_SCALAR.matcher(value).matches() && !YAML_KEYWORDS.contains(value.toLowerCase(Locale.ROOT))) {
                return value;
            }
            return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }
}
