package dev.warden.cli;

import static java.util.Objects.requireNonNull;

import dev.warden.config.ConfigException;
import dev.warden.policy.Policy;
import dev.warden.policy.PolicyEngine;
import dev.warden.policy.PolicyExplainer;
import dev.warden.policy.PolicyLoader;
import dev.warden.policy.Subject;
import dev.warden.sql.CatalogView;
import dev.warden.sql.SqlSessionState;
import dev.warden.sql.StatementAnalysis;
import dev.warden.sql.StatementAnalyzer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "policy", description = "Check a policy file and see how it decides statements.")
final class PolicyCommand implements Runnable {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    private final Function<String, List<StatementAnalysis>> analyser;

    /** Explains with Warden's analyser and an empty catalog, as no database is contacted. */
    PolicyCommand() {
        this(sql -> new StatementAnalyzer(CatalogView.empty()).analyze(sql, new SqlSessionState()));
    }

    PolicyCommand(Function<String, List<StatementAnalysis>> analyser) {
        this.analyser = requireNonNull(analyser, "analyser is null");
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: validate or explain");
    }

    @Command(name = "validate",
            description = "Check a policy file: syntax, unknown keys, outcomes, statement kinds, patterns, rule names.",
            mixinStandardHelpOptions = true,
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:the file is valid", "1:the file is not valid"})
    int validate(@Parameters(paramLabel = "FILE", description = "the YAML policy file") Path file) {
        PrintWriter out = spec.commandLine().getOut();
        Policy policy;
        try {
            policy = PolicyLoader.load(file);
        } catch (ConfigException e) {
            return fail(e);
        }
        out.printf("%s: OK (%d rules, %d targets, %d groups; version %s)%n", file, policy.rules().size(),
                policy.targetDefaults().size(), policy.groups().size(), policy.shortVersion());
        out.flush();
        return ExitCode.OK.code();
    }

    @Command(name = "explain",
            description = {"Show how a policy decides SQL for an identity on a target, without a database.",
                "Names are not resolved through a catalog: unqualified tables match patterns on their name alone."},
            mixinStandardHelpOptions = true,
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:explained (whatever the decision)", "1:the policy file is not valid", "2:usage error"})
    int explain(
            @Option(names = "--policy", required = true, paramLabel = "FILE", description = "the YAML policy file") Path file,
            @Option(names = "--identity", required = true, paramLabel = "NAME", description = "who runs the SQL") String identity,
            @Option(names = "--group", paramLabel = "GROUP", description = "a group the identity has from warden.yaml (repeatable)")
                    List<String> groups,
            @Option(names = "--read-only", description = "the identity has read-only access") boolean readOnly,
            @Option(names = "--target", required = true, paramLabel = "TARGET", description = "the target database") String target,
            @Option(names = "--startup", paramLabel = "NAME=VALUE", description = "a startup parameter of the session (repeatable)")
                    Map<String, String> startup,
            @Parameters(paramLabel = "SQL", description = "one or more statements, as one message") String sql) {
        Policy policy;
        try {
            policy = PolicyLoader.load(file);
        } catch (ConfigException e) {
            return fail(e);
        }
        Subject subject = new Subject(identity, groups == null ? Set.of() : Set.copyOf(groups), readOnly);
        List<StatementAnalysis> statements = analyser.apply(sql);
        PrintWriter out = spec.commandLine().getOut();
        out.print(PolicyExplainer.explain(new PolicyEngine(policy), subject, target, statements,
                startup == null ? Map.of() : new LinkedHashMap<>(startup)));
        out.flush();
        return ExitCode.OK.code();
    }

    private int fail(ConfigException e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(e.getMessage());
        err.flush();
        return ExitCode.CONFIG_ERROR.code();
    }
}
