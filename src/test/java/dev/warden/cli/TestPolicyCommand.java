package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.sql.QualifiedName;
import dev.warden.sql.StatementAnalysis;
import dev.warden.sql.StatementKind;
import dev.warden.sql.WhereShape;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TestPolicyCommand {

    private static final Path SAMPLE = Path.of("src/main/resources/policy/sample-policy.yaml");

    @TempDir
    Path directory;

    @Test
    void validateAcceptsTheSamplePolicy() throws Exception {
        CommandResult result = CommandResult.run("policy", "validate", SAMPLE.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).matches(SAMPLE + ": OK \\(\\d+ rules, 1 targets, 3 groups; version [0-9a-f]{12}\\)\n");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void validateReportsEveryProblemWithLineAndField() throws Exception {
        Path file = Files.writeString(directory.resolve("bad.yaml"), """
                rules:
                  - name: a
                    outcome: deny
                    match: { statements: [drop, obliterate] }
                  - { name: a, outcome: allow }
                """);

        CommandResult result = CommandResult.run("policy", "validate", file.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().lines()).satisfiesExactly(
                line -> assertThat(line).isEqualTo(file + ":2:5: rules[0].reason: is required for deny rules: it is what the client is told"),
                line -> assertThat(line).startsWith(file + ":4:33: rules[0].match.statements[1]: must be one of select, insert,"),
                line -> assertThat(line).isEqualTo(file + ":5:13: rules[1].name: duplicate rule name (first defined at line 2)"));
    }

    @Test
    void explainPrintsDecisionRuleReasonHintAndWhy() {
        StatementAnalysis update = new StatementAnalysis("UPDATE customers SET email = 'x' WHERE id = 1", StatementKind.UPDATE, null,
                Set.of(StatementKind.UPDATE), List.of(), List.of(new QualifiedName(null, "customers")), List.of(),
                WhereShape.PRESENT, Optional.empty(), Set.of(), Optional.empty());
        StatementAnalysis read = new StatementAnalysis("SELECT 1", StatementKind.SELECT, null, Set.of(StatementKind.SELECT),
                List.of(), List.of(), List.of(), WhereShape.NOT_APPLICABLE, Optional.empty(), Set.of(), Optional.empty());

        CommandResult result = explain(sql -> List.of(read, update),
                "--policy", SAMPLE.toString(), "--identity", "agent-1", "--group", "agents", "--target", "shop",
                "SELECT 1; UPDATE customers SET email = 'x' WHERE id = 1");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("identity agent-1 groups [agents], target shop\n");
        assertThat(result.out()).containsPattern("policy " + SAMPLE + " version [0-9a-f]{12}\n");
        assertThat(result.out()).contains("""
                statement 1: SELECT 1
                  decision: allow
                  rule: allow-reads-and-session (line""");
        assertThat(result.out()).contains("""
                statement 2: UPDATE customers SET email = 'x' WHERE id = 1
                  decision: require approval
                  rule: approve-sensitive-writes (line""");
        assertThat(result.out()).contains("""
                  reason: Writes to customer and payment data need a second pair of eyes.
                  hint: The statement is held until a DBA approves it.
                  approval: 1 of groups dbas, within 15m
                  because: written table customers matches public.customers (schema unresolved: matched on the name alone)
                """);
        assertThat(result.out()).contains("also matched: allow-bounded-writes (allow, line");
        assertThat(result.out()).endsWith("overall: require approval (rule approve-sensitive-writes; no statement of the message runs)\n");
    }

    @Test
    void explainShowsBuiltInDenials() {
        StatementAnalysis unknown = new StatementAnalysis("FROB x", StatementKind.UNKNOWN, null, Set.of(StatementKind.UNKNOWN),
                List.of(), List.of(), List.of(), WhereShape.NOT_APPLICABLE, Optional.empty(), Set.of(),
                Optional.of("syntax error at or near \"FROB\""));

        CommandResult result = explain(sql -> List.of(unknown),
                "--policy", SAMPLE.toString(), "--identity", "agent-1", "--read-only", "--target", "shop", "FROB x");

        assertThat(result.out()).contains("identity agent-1 (read-only), target shop\n");
        assertThat(result.out()).contains("""
                  decision: deny
                  rule: warden-unknown-statement
                  reason: Warden could not analyse this statement: syntax error at or near "FROB"
                  hint: Rewrite it in plain SQL, or ask an administrator.
                """);
    }

    @Test
    void explainWithAnInvalidPolicyFailsWithItsProblems() throws Exception {
        Path file = Files.writeString(directory.resolve("bad.yaml"), "rules: [{ name: x, outcome: maybe }]\n");

        CommandResult result = explain(sql -> List.of(), "--policy", file.toString(), "--identity", "a", "--target", "t", "SELECT 1");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo(file + ":1:29: rules[0].outcome: must be one of allow, require_approval, deny (got 'maybe')\n");
    }

    @Test
    void explainNeedsIdentityAndTarget() {
        CommandResult result = CommandResult.run("policy", "explain", "--policy", SAMPLE.toString(), "SELECT 1");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Missing required options: '--identity=NAME', '--target=TARGET'");
    }

    private static CommandResult explain(Function<String, List<StatementAnalysis>> analyser, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new PolicyCommand(analyser));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        String[] full = new String[args.length + 1];
        full[0] = "explain";
        System.arraycopy(args, 0, full, 1, args.length);
        int exitCode = commandLine.execute(full);
        return new CommandResult(exitCode, out.toString(), err.toString());
    }
}
