package dev.warden.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.warden.testing.ProcessResult;
import dev.warden.testing.ProcessRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every command the README, the policy cookbook and "Connect an AI agent" show runs, as typed, against
 * the demo, in the pages' order, and does what the page says; or it is excused below, with the reason.
 * A command added to those pages that is neither run nor excused fails this test, and so does a check
 * whose command the pages no longer show.
 *
 * <p>How a typed command meets the demo, mechanically: it runs in a {@link DemoWorkspace} (the jar at
 * {@code target/warden.jar}, {@code src/}, the demo's {@code data/}, {@code warden} on the PATH, and
 * the variables the demo tells the reader to export), after the {@link #SUBSTITUTIONS} below, which
 * replace the docs' placeholders with what the demo printed or a previous command did. SQL from psql
 * transcripts is typed into the psql command the demo prints.
 */
class DocumentedCommandsIT {
    static final List<Path> PAGES = List.of(Path.of("README.md"), Path.of("docs/cookbook.md"), Path.of("docs/agents.md"));

    @FunctionalInterface
    interface Check {
        void run(String command) throws Exception;
    }

    /** How one documented command is handled: run by {@code check}, or not run for {@code excuse}. */
    record Handling(Check check, String excuse) {}

    static DemoGateway demo;
    static String printed;
    static DemoWorkspace workspace;
    /** The placeholders of the docs and what stands for them now, applied to every command before it runs. */
    static final Map<String, String> SUBSTITUTIONS = new LinkedHashMap<>();

    @BeforeAll
    static void startTheDemo() throws Exception {
        Assumptions.assumeTrue(ProcessRunner.available("psql"), "psql is not installed");
        demo = DemoGateway.start(0);
        StringWriter out = new StringWriter();
        demo.printWelcome(new PrintWriter(out, true));
        printed = out.toString();
        workspace = DemoWorkspace.create(Path.of(demo.storeSpec().substring("sqlite:".length())).getParent());
        // What the demo tells the reader to export before the approval commands.
        Matcher exports = find("export WARDEN_URL=(\\S+) WARDEN_USER=(\\S+) WARDEN_TOKEN=(\\S+)");
        workspace.export("WARDEN_URL", exports.group(1));
        workspace.export("WARDEN_USER", exports.group(2));
        workspace.export("WARDEN_TOKEN", exports.group(3));
        // The README verifies with env:WARDEN_AUDIT_KEY; the demo prints where its key is.
        workspace.export("WARDEN_AUDIT_KEY", Files.readString(Path.of(find("--checkpoint-key file:(\\S+)").group(1))));
        // The docs show the default port and an elided token; the demo prints the real ones.
        SUBSTITUTIONS.put("wdn_...", demo.agentToken());
        SUBSTITUTIONS.put("127.0.0.1:6432", "127.0.0.1:" + demo.port());
        // The production data directory of docs/agents.md; the workspace's data/ is the demo's.
        SUBSTITUTIONS.put("sqlite:/var/lib/warden/warden.db", "sqlite:data/warden.db");
    }

    @AfterAll
    static void stopTheDemo() throws Exception {
        if (workspace != null) {
            workspace.close();
        }
        if (demo != null) {
            demo.close();
        }
    }

    static Map<String, Handling> handlings() {
        Map<String, Handling> all = new LinkedHashMap<>();
        // README.md
        excuse(all, "mvn -q -DskipTests package && java -jar target/warden.jar demo",
                "builds the jar (this build did) and starts the demo, which this test started in-process on free ports");
        excuse(all, "mvn verify", "the build that runs this test");
        run(all, "psql \"postgresql://demo-agent:wdn_...@127.0.0.1:6432/shop?sslmode=disable\"", DocumentedCommandsIT::connect);
        excuse(all, "PGPASSWORD=\"$ACCESS_TOKEN\" psql \"host=warden.internal dbname=appdb user=alice@example.com sslmode=verify-full\"",
                "an OIDC access token over TLS: the demo has no issuer and no TLS (OidcAuthenticationIT runs psql so)");
        run(all, "java -jar target/warden.jar token create agent-1 --store sqlite:data/warden.db --target appdb --ttl 24h",
                command -> assertThat(succeeds(command)).contains("wdn_").contains("for target(s) appdb"));
        run(all, "java -jar target/warden.jar token revoke agent-1 --store sqlite:data/warden.db # ends its sessions too",
                command -> assertThat(succeeds(command)).contains("revoked 1 token"));
        run(all, "SELECT full_name, email, ssn, phone, card_number FROM customers LIMIT 1; -- the demo, illustrative",
                DocumentedCommandsIT::maskedSelect);
        run(all, "java -jar target/warden.jar token create agent-1 # prints a token once + the config entry",
                DocumentedCommandsIT::tokenForTheConfig);
        run(all, "$EDITOR warden.yaml # see docs/configuration.md", DocumentedCommandsIT::editTheConfig);
        run(all, "java -jar target/warden.jar config validate warden.yaml # file:line:column: field: problem",
                command -> assertThat(succeeds(command)).contains("warden.yaml: OK").contains("policy.yaml: OK"));
        excuse(all, "WARDEN_RO_PASSWORD=... java -jar target/warden.jar start --config warden.yaml",
                "runs until stopped, in front of db.internal, which does not exist here; the file was validated above");
        run(all, "DROP TABLE orders;", DocumentedCommandsIT::blockedDrop);
        run(all, "java -jar target/warden.jar policy explain --policy src/main/resources/policy/sample-policy.yaml"
                + " --identity agent-1 --target shop \"DELETE FROM orders WHERE 1=1\"",
                command -> assertThat(succeeds(command)).contains("overall: deny (rule no-unbounded-writes)"));
        run(all, "java -jar target/warden.jar sessions --store sqlite:data/warden.db",
                command -> assertThat(succeeds(command)).contains("demo-agent"));
        run(all, "java -jar target/warden.jar replay SESSION_ID --store sqlite:data/warden.db", DocumentedCommandsIT::replay);
        run(all, "java -jar target/warden.jar audit verify --store sqlite:data/warden.db --checkpoint-key env:WARDEN_AUDIT_KEY",
                command -> assertThat(succeeds(command)).contains("intact").doesNotContain("FAILED"));
        run(all, "java -jar target/warden.jar export --format jsonl --store sqlite:data/warden.db",
                command -> assertThat(succeeds(command)).contains("\"demo-agent\"").contains("DROP TABLE orders"));
        run(all, "UPDATE customers SET email = 'new@example.com' WHERE id = 7;", DocumentedCommandsIT::heldUpdate);
        // docs/cookbook.md
        run(all, "java -jar target/warden.jar policy explain --policy src/main/resources/policy/sample-policy.yaml"
                + " --identity agent-1 --target shop \"DROP TABLE orders\"",
                command -> assertThat(succeeds(command)).contains("overall: deny (rule no-drop-or-truncate)"));
        run(all, "warden grant create --group oncall --target shop --rule approve-sensitive-writes --for 30m"
                + " --reason \"INC-1234: repair duplicated payments\"", DocumentedCommandsIT::grantCreated);
        run(all, "warden grant revoke grt_...", command -> assertThat(succeeds(command)).contains(": revoked ("));
        // docs/agents.md
        run(all, "warden token create devin-ticket-4711 --store sqlite:/var/lib/warden/warden.db --target shop --ttl 8h",
                command -> assertThat(succeeds(command)).contains("wdn_").contains("for target(s) shop"));
        excuse(all, "export DATABASE_URL=\"postgresql://devin-ticket-4711:wdn_...@warden.internal:6432/shop?sslmode=verify-full\"",
                "an assignment for the agent's secret store, naming a gateway with TLS at warden.internal (TlsIT covers verify-full)");
        excuse(all, "/* warden:request-grant 30m clean up duplicate carts for ticket 4711 */ DELETE FROM carts WHERE id = 981;",
                "the agent's own carts table, which the demo's shop does not have (GrantIT runs request-grant end to end)");
        return all;
    }

    @TestFactory
    Stream<DynamicTest> everyDocumentedCommandRunsAgainstTheDemoOrIsExcused() throws Exception {
        Map<String, Handling> handlings = handlings();
        List<DynamicTest> tests = new ArrayList<>();
        for (DocumentedCommand command : documented()) {
            tests.add(DynamicTest.dynamicTest(command.toString(), () -> {
                Handling handling = handlings.get(command.text());
                if (handling == null) {
                    fail("neither run nor excused by DocumentedCommandsIT: " + command);
                }
                Assumptions.assumeTrue(handling.excuse() == null, handling.excuse());
                handling.check().run(substituted(command.text()));
            }));
        }
        return tests.stream();
    }

    @Test
    void everyCheckNamesACommandThePagesStillShow() throws Exception {
        List<String> shown = documented().stream().map(DocumentedCommand::text).toList();
        assertThat(handlings().keySet()).allSatisfy(command -> assertThat(shown).as("shown in " + PAGES).contains(command));
    }

    static List<DocumentedCommand> documented() throws Exception {
        List<DocumentedCommand> commands = new ArrayList<>();
        for (Path page : PAGES) {
            commands.addAll(DocumentedCommand.in(page));
        }
        return commands;
    }

    // ---- Checks ----------------------------------------------------------------------------------

    static void connect(String command) throws Exception {
        assertThat("  " + command).as("the README's command is the one the demo prints").isIn(printed.lines().toList());
        ProcessResult result = workspace.shell(command, "SELECT count(*) FROM customers;\n");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("50");
    }

    static void maskedSelect(String sql) throws Exception {
        String output = typedIntoPsql(sql).stdout();
        assertThat(output).containsPattern("full_name\\s*\\|\\s*email\\s*\\|\\s*ssn\\s*\\|\\s*phone\\s*\\|\\s*card_number");
        // As the README shows: a keyed hash, stars, the last four digits; never the stored values.
        assertThat(output).containsPattern("\\| [0-9a-f]{24} \\| \\*{4}\\s*\\| \\*{4}\\d{4}\\s*\\| \\*{4}\\d{4}");
        assertThat(output).doesNotContain("@example.com");
    }

    static void tokenForTheConfig(String command) throws Exception {
        Matcher verifier = Pattern.compile("verifier: (\"SCRAM-SHA-256\\$[^\"]+\")").matcher(succeeds(command));
        assertThat(verifier.find()).isTrue();
        SUBSTITUTIONS.put("\"SCRAM-SHA-256$4096:...\"", verifier.group(1));
    }

    /** The reader's editor writes the README's minimal warden.yaml, with the verifier just printed and the sample policy. */
    static void editTheConfig(String command) throws Exception {
        Matcher block = Pattern.compile("A minimal `warden.yaml`:\\s*```yaml\\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(Path.of("README.md")));
        assertThat(block.find()).as("the README shows a minimal warden.yaml").isTrue();
        Path edited = workspace.directory().resolve("edited-warden.yaml");
        Files.writeString(edited, substituted(block.group(1)));
        Files.copy(Path.of("src/main/resources/policy/sample-policy.yaml"), workspace.directory().resolve("policy.yaml"));
        workspace.export("EDITOR", "cp " + edited);
        succeeds(command);
        assertThat(Files.readString(workspace.directory().resolve("warden.yaml"))).doesNotContain("...");
    }

    static void blockedDrop(String sql) throws Exception {
        ProcessResult result = typedIntoPsql(sql + "\n\\echo SQLSTATE :LAST_ERROR_SQLSTATE");
        assertThat(result.stderr())
                .contains("ERROR:  Access denied by rule \"no-drop-or-truncate\": Dropping or truncating objects destroys data and schema.")
                .contains("DETAIL:  Statement: DROP TABLE orders")
                .contains("HINT:  Ask a DBA to run schema changes through the migration pipeline.");
        assertThat(result.stdout()).contains("SQLSTATE 42501");
    }

    static void replay(String command) throws Exception {
        Matcher ids = Pattern.compile("([0-9a-f]{8}-[0-9a-f-]{27})")
                .matcher(succeeds("java -jar target/warden.jar sessions --store sqlite:data/warden.db"));
        List<String> replays = new ArrayList<>();
        while (ids.find()) {
            replays.add(succeeds(command.replace("SESSION_ID", ids.group(1))));
        }
        assertThat(replays).anySatisfy(replay -> assertThat(replay).contains("DROP TABLE orders").contains("no-drop-or-truncate"));
    }

    /** The UPDATE waits for approval; an approver runs what the README shows, and the statement runs once. */
    static void heldUpdate(String sql) throws Exception {
        CompletableFuture<ProcessResult> agent = CompletableFuture.supplyAsync(() -> {
            try {
                return typedIntoPsql(sql);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String id = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (id == null && System.nanoTime() < deadline) {
            Matcher pending = Pattern.compile("(apr_[a-z0-9]+)").matcher(succeeds("warden approvals"));
            id = pending.find() ? pending.group(1) : null;
            Thread.sleep(100);
        }
        assertThat(id).as("warden approvals lists the held UPDATE").isNotNull();
        Matcher approve = Pattern.compile("after an approver ran: (warden approve apr_\\w+ .+)")
                .matcher(Files.readString(Path.of("README.md")));
        assertThat(approve.find()).isTrue();
        succeeds(approve.group(1).replaceAll("apr_\\w+", id));
        ProcessResult result = agent.get(30, TimeUnit.SECONDS);
        assertThat(result.stdout()).contains("UPDATE 1");
        assertThat(result.stderr()).containsPattern("NOTICE:  approval required: request " + id
                + ", rule \"approve-sensitive-writes\"; approve at http://127\\.0\\.0\\.1:\\d+/approvals/" + id
                + " or with `warden approve " + id + "`");
    }

    static void grantCreated(String command) throws Exception {
        Matcher grant = Pattern.compile("^(grt_[a-z0-9]+): ", Pattern.MULTILINE).matcher(succeeds(command));
        assertThat(grant.find()).isTrue();
        SUBSTITUTIONS.put("grt_...", grant.group(1));
    }

    // ---- Helpers ---------------------------------------------------------------------------------

    /** Runs {@code command} in the workspace; it must succeed. Returns what it printed. */
    static String succeeds(String command) throws Exception {
        ProcessResult result = workspace.shell(command);
        assertThat(result.exitCode()).as(command + "\n" + result.stdout() + result.stderr()).isZero();
        return result.stdout();
    }

    /** Types {@code sql} into the psql command the demo printed. */
    static ProcessResult typedIntoPsql(String sql) throws Exception {
        return workspace.shell(find("(?m)^  (psql \"postgresql://[^\"]+\")$").group(1), sql + "\n");
    }

    static String substituted(String text) {
        String result = text;
        for (Map.Entry<String, String> substitution : SUBSTITUTIONS.entrySet()) {
            result = result.replace(substitution.getKey(), substitution.getValue());
        }
        return result;
    }

    static Matcher find(String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(printed);
        assertThat(matcher.find()).as("the demo prints " + regex + "\n" + printed).isTrue();
        return matcher;
    }

    static void run(Map<String, Handling> all, String command, Check check) {
        all.put(command, new Handling(check, null));
    }

    static void excuse(Map<String, Handling> all, String command, String reason) {
        all.put(command, new Handling(null, reason));
    }
}
