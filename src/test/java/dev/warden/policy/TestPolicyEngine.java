package dev.warden.policy;

import static dev.warden.policy.TestingStatements.statement;
import static dev.warden.sql.StatementKind.COPY_FROM;
import static dev.warden.sql.StatementKind.CREATE;
import static dev.warden.sql.StatementKind.DELETE;
import static dev.warden.sql.StatementKind.DISCARD;
import static dev.warden.sql.StatementKind.DROP;
import static dev.warden.sql.StatementKind.EXPLAIN;
import static dev.warden.sql.StatementKind.INSERT;
import static dev.warden.sql.StatementKind.RESET;
import static dev.warden.sql.StatementKind.SELECT;
import static dev.warden.sql.StatementKind.SET;
import static dev.warden.sql.StatementKind.TRANSACTION;
import static dev.warden.sql.StatementKind.UNKNOWN;
import static dev.warden.sql.StatementKind.UPDATE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.sql.CopySpec;
import dev.warden.sql.StatementAnalysis;
import dev.warden.sql.WhereShape;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TestPolicyEngine {

    static final Subject AGENT = new Subject("agent-1", Set.of(), false);
    static final Subject READER = new Subject("reader", Set.of(), true);
    static final Map<String, String> NO_STARTUP = Map.of();

    @Test
    void denyBeatsApprovalBeatsAllowWhateverTheOrder() throws Exception {
        PolicyEngine engine = engine("""
                rules:
                  - { name: allow-all, outcome: allow }
                  - { name: approve-updates, outcome: require_approval, reason: "look", match: { statements: [update] } }
                  - { name: deny-orders, outcome: deny, reason: "no", match: { tables: [public.orders] } }
                """);

        assertThat(decide(engine, statement(SELECT).reads("public.items"))).extracting(Decision::outcome, Decision::rule)
                .containsExactly(Outcome.ALLOW, "allow-all");
        assertThat(decide(engine, statement(UPDATE).writes("public.items").where(WhereShape.PRESENT)))
                .extracting(Decision::outcome, Decision::rule).containsExactly(Outcome.REQUIRE_APPROVAL, "approve-updates");
        assertThat(decide(engine, statement(UPDATE).writes("public.orders").where(WhereShape.PRESENT)))
                .extracting(Decision::outcome, Decision::rule, Decision::reason).containsExactly(Outcome.DENY, "deny-orders", "no");
    }

    @Test
    void firstRuleInFileOrderNamesTheDecisionAmongEquals() throws Exception {
        PolicyEngine engine = engine("""
                rules:
                  - { name: first, outcome: deny, reason: "one", match: { statements: [drop] } }
                  - { name: second, outcome: deny, reason: "two", match: { objects: [table] } }
                """);

        Decision decision = decide(engine, statement(DROP).object("table"));

        assertThat(decision.rule()).isEqualTo("first");
        assertThat(decision.because()).containsExactly("statement kind drop is one of [drop]");
    }

    @Test
    void targetDefaults() throws Exception {
        PolicyEngine engine = engine("""
                targets:
                  staging: { default: allow }
                  reviewed: { default: require_approval }
                rules: []
                """);
        PolicyEngine star = engine("""
                targets:
                  "*": { default: allow }
                  shop: { default: deny }
                rules: []
                """);

        assertThat(engine.decide(AGENT, "staging", select(), NO_STARTUP).outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(engine.decide(AGENT, "reviewed", select(), NO_STARTUP).approval()).contains(ApprovalRequirement.ANY_APPROVER);
        Decision unlisted = engine.decide(AGENT, "prod", select(), NO_STARTUP);
        assertThat(unlisted).extracting(Decision::outcome, Decision::rule, Decision::reason)
                .containsExactly(Outcome.DENY, "default", "No policy rule allows this statement on target prod.");
        assertThat(unlisted.because()).containsExactly("no rule matched; the default for target prod is deny");
        assertThat(star.decide(AGENT, "prod", select(), NO_STARTUP).outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(star.decide(AGENT, "shop", select(), NO_STARTUP).outcome()).isEqualTo(Outcome.DENY);
    }

    @Test
    void subjectsByIdentityConfiguredGroupAndPolicyGroup() throws Exception {
        PolicyEngine engine = engine("""
                groups:
                  dbas: [alice]
                targets: { "*": { default: deny } }
                rules:
                  - { name: by-identity, outcome: allow, subjects: { identities: [bob] } }
                  - { name: by-group, outcome: allow, subjects: { groups: [dbas] } }
                  - { name: on-staging, outcome: allow, targets: [staging] }
                """);

        assertThat(engine.decide(new Subject("bob", Set.of(), false), "prod", select(), NO_STARTUP).rule()).isEqualTo("by-identity");
        Decision alice = engine.decide(new Subject("alice", Set.of(), false), "prod", select(), NO_STARTUP);
        assertThat(alice.rule()).isEqualTo("by-group");
        assertThat(alice.because()).contains("identity alice is in group dbas");
        assertThat(engine.decide(new Subject("carol", Set.of("dbas"), false), "prod", select(), NO_STARTUP).rule()).isEqualTo("by-group");
        assertThat(engine.decide(new Subject("carol", Set.of("others"), false), "prod", select(), NO_STARTUP).rule()).isEqualTo("default");
        assertThat(engine.decide(new Subject("carol", Set.of(), false), "staging", select(), NO_STARTUP).rule()).isEqualTo("on-staging");
    }

    @Test
    void tablePatternsWithSchemaQualificationGlobsAndUnresolvedNames() throws Exception {
        PolicyEngine engine = engine("""
                targets: { "*": { default: allow } }
                rules:
                  - { name: pay, outcome: deny, reason: x, match: { tables: ["public.pay*"] } }
                  - { name: customers, outcome: deny, reason: x, match: { written_tables: [public.customers] } }
                """);

        assertThat(decide(engine, statement(SELECT).reads("public.payments")).rule()).isEqualTo("pay");
        assertThat(decide(engine, statement(SELECT).reads("public.pay")).rule()).isEqualTo("pay");
        assertThat(decide(engine, statement(SELECT).reads("audit.payments")).rule()).isEqualTo("default");
        assertThat(decide(engine, statement(SELECT).reads("public.repay")).rule()).isEqualTo("default");
        Decision unresolved = decide(engine, statement(SELECT).reads("payments"));
        assertThat(unresolved.rule()).isEqualTo("pay");
        assertThat(unresolved.because()).containsExactly("table payments matches public.pay* (schema unresolved: matched on the name alone)");
        assertThat(decide(engine, statement(SELECT).reads("public.customers")).rule()).isEqualTo("default");
        assertThat(decide(engine, statement(UPDATE).writes("customers").where(WhereShape.PRESENT)).rule()).isEqualTo("customers");
        assertThat(decide(engine, statement(UPDATE).writes("other.customers").where(WhereShape.PRESENT)).rule()).isEqualTo("default");
    }

    @Test
    void allowRulesMustCoverEverythingTheStatementDoes() throws Exception {
        PolicyEngine engine = engine("""
                rules:
                  - { name: reads, outcome: allow, match: { statements: [select] } }
                  - { name: orders, outcome: allow, match: { statements: [select, update], tables: ["public.orders"] } }
                  - { name: safe-fns, outcome: allow, match: { functions: [now, "pg_catalog.lower"] } }
                """);

        assertThat(decide(engine, statement(SELECT)).rule()).isEqualTo("reads");
        assertThat(decide(engine, statement(CREATE).object("table").effects(SELECT)).rule()).isEqualTo("default");
        assertThat(decide(engine, statement(SELECT).effects(DELETE).writes("public.items")).rule()).isEqualTo("default");
        assertThat(decide(engine, statement(UPDATE).writes("public.orders").reads("public.orders")).rule()).isEqualTo("orders");
        assertThat(decide(engine, statement(UPDATE).writes("public.orders").reads("public.customers")).rule()).isEqualTo("default");
        assertThat(decide(engine, statement(INSERT).functions("now", "pg_catalog.lower")).rule()).isEqualTo("safe-fns");
        assertThat(decide(engine, statement(INSERT).functions("now", "pg_read_file")).rule()).isEqualTo("default");
        assertThat(decide(engine, statement(INSERT)).rule()).as("no functions at all").isEqualTo("default");
    }

    @Test
    void denyRulesMatchAnyEffect() throws Exception {
        PolicyEngine engine = engine("""
                targets: { "*": { default: allow } }
                rules:
                  - { name: no-delete, outcome: deny, reason: x, match: { statements: [delete] } }
                """);

        Decision cte = decide(engine, statement(SELECT).effects(DELETE).writes("public.t"));
        assertThat(cte.rule()).isEqualTo("no-delete");
        assertThat(cte.because()).containsExactly("it has the effect delete, one of [delete]");
        assertThat(decide(engine, statement(EXPLAIN).effects(DELETE)).rule()).isEqualTo("no-delete");
    }

    @Test
    void functionsCopyWhereSettingsObjectsStartupAndRows() throws Exception {
        PolicyEngine engine = engine("""
                targets: { "*": { default: allow } }
                rules:
                  - { name: fn, outcome: deny, reason: x, match: { functions: ["pg_catalog.pg_ls_*", "dblink*"] } }
                  - { name: copy-program, outcome: deny, reason: x, match: { copy: { direction: from, endpoint: program } } }
                  - { name: unbounded, outcome: deny, reason: x, match: { statements: [update], where: [absent, constant_true] } }
                  - { name: search-path, outcome: deny, reason: x, match: { settings: ["search_*"] } }
                  - { name: drop-view, outcome: deny, reason: x, match: { statements: [drop], objects: [view] } }
                  - { name: psql, outcome: deny, reason: x, match: { startup: { application_name: "psql*" } } }
                  - { name: big, outcome: require_approval, reason: x, match: { statements: [delete], estimated_rows: { over: 10 } } }
                  - { name: big-allow, outcome: allow, match: { statements: [insert], estimated_rows: { over: 10 } } }
                """);

        assertThat(decide(engine, statement(SELECT).functions("pg_catalog.pg_ls_dir")).rule()).isEqualTo("fn");
        assertThat(decide(engine, statement(SELECT).functions("pg_ls_dir")).rule()).isEqualTo("fn");
        assertThat(decide(engine, statement(SELECT).functions("public.pg_ls_dir")).rule()).isEqualTo("default");
        assertThat(decide(engine, statement(SELECT).functions("public.dblink_exec")).rule()).isEqualTo("fn");
        assertThat(decide(engine, statement(COPY_FROM).copy(CopySpec.Direction.FROM, CopySpec.Endpoint.PROGRAM)).rule())
                .isEqualTo("copy-program");
        assertThat(decide(engine, statement(COPY_FROM).copy(CopySpec.Direction.FROM, CopySpec.Endpoint.STDIN)).rule())
                .isEqualTo("default");
        assertThat(decide(engine, statement(UPDATE).where(WhereShape.CONSTANT_TRUE)).rule()).isEqualTo("unbounded");
        assertThat(decide(engine, statement(UPDATE).where(WhereShape.PRESENT)).rule()).isEqualTo("default");
        assertThat(decide(engine, statement(SET).settings("search_path")).rule()).isEqualTo("search-path");
        assertThat(decide(engine, statement(DROP).object("view")).rule()).isEqualTo("drop-view");
        assertThat(decide(engine, statement(DROP).object("table")).rule()).isEqualTo("default");
        assertThat(engine.decide(AGENT, "t", select(), Map.of("application_name", "psql 16")).rule()).isEqualTo("psql");
        assertThat(engine.decide(AGENT, "t", select(), Map.of("application_name", "PostgreSQL JDBC")).rule()).isEqualTo("default");
        Decision big = decide(engine, statement(DELETE).where(WhereShape.PRESENT));
        assertThat(big.rule()).isEqualTo("big");
        assertThat(big.because()).contains("no row estimate: assumed over 10 rows");
        assertThat(decide(engine, statement(INSERT)).rule()).as("estimated_rows never widens an allow").isEqualTo("default");

        // With the planner's estimate the condition is read as written.
        StatementAnalysis delete = statement(DELETE).where(WhereShape.PRESENT).build();
        assertThat(engine.wantsEstimate(AGENT, "t", delete, Map.of())).isTrue();
        assertThat(engine.wantsEstimate(AGENT, "t", statement(INSERT).build(), Map.of())).isFalse();
        Decision few = engine.decideWithEstimate(AGENT, "t", delete, Map.of(), RowEstimate.of(10));
        assertThat(few.rule()).isEqualTo("default");
        Decision many = engine.decideWithEstimate(AGENT, "t", delete, Map.of(), RowEstimate.of(11));
        assertThat(many.rule()).isEqualTo("big");
        assertThat(many.because()).contains("the planner estimates 11 rows, over 10");
        assertThat(engine.decideWithEstimate(AGENT, "t", delete, Map.of(), RowEstimate.PENDING).rule())
                .as("a Parse is not refused on a limit the Execute will check").isEqualTo("default");
        assertThat(engine.decideWithEstimate(AGENT, "t", delete, Map.of(), RowEstimate.UNAVAILABLE).rule()).isEqualTo("big");
    }

    @Test
    void builtInRulesCannotBeOverriddenByAnAllowRule() throws Exception {
        PolicyEngine engine = engine("""
                targets: { "*": { default: allow } }
                rules:
                  - { name: allow-everything, outcome: allow }
                  - { name: allow-unknown, outcome: allow, match: { unknown: true } }
                """);

        Decision unknown = decide(engine, statement(UNKNOWN).notUnderstood("syntax error at or near \"FOO\""));
        assertThat(unknown).extracting(Decision::outcome, Decision::rule, Decision::reason, Decision::hint)
                .containsExactly(Outcome.DENY, "warden-unknown-statement",
                        "Warden could not analyse this statement: syntax error at or near \"FOO\"",
                        "Rewrite it in plain SQL, or ask an administrator.");
        assertThat(decide(engine, statement(SELECT).effects(UNKNOWN)).rule()).isEqualTo("warden-unknown-statement");
        assertThat(decide(engine, statement(SET).settings("role")).rule()).isEqualTo("warden-identity-switch");
        assertThat(decide(engine, statement(RESET).settings("role")).rule()).isEqualTo("warden-identity-switch");
        assertThat(decide(engine, statement(SET).settings("session_authorization")).rule()).isEqualTo("warden-identity-switch");
        assertThat(decide(engine, statement(SELECT).functions("set_config").settings("role")).rule())
                .isEqualTo("warden-identity-switch");
    }

    @Test
    void readOnlyIdentitiesCannotMakeTransactionsWritable() throws Exception {
        PolicyEngine engine = engine("""
                targets: { "*": { default: allow } }
                rules:
                  - { name: allow-everything, outcome: allow }
                """);

        for (StatementAnalysis statement : List.of(
                statement(SET).settings("transaction_read_only").build(),
                statement(SET).settings("default_transaction_read_only").build(),
                statement(SELECT).functions("set_config").settings("default_transaction_read_only").build(),
                statement(RESET).settings("all").text("RESET ALL").build(),
                statement(TRANSACTION).text("BEGIN READ WRITE").build(),
                statement(TRANSACTION).text("start transaction isolation level serializable, read write").build(),
                statement(SET).text("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE").build(),
                statement(DISCARD).text("DISCARD ALL").build())) {
            assertThat(engine.decide(READER, "t", statement, NO_STARTUP).rule()).as(statement.text()).isEqualTo("warden-read-only");
            assertThat(engine.decide(AGENT, "t", statement, NO_STARTUP).rule()).as(statement.text()).isEqualTo("allow-everything");
        }
        assertThat(engine.decide(READER, "t", statement(TRANSACTION).text("BEGIN READ ONLY").build(), NO_STARTUP).rule())
                .isEqualTo("allow-everything");
        assertThat(engine.decide(READER, "t", statement(TRANSACTION).text("COMMIT").build(), NO_STARTUP).rule())
                .isEqualTo("allow-everything");
        assertThat(engine.decide(READER, "t", statement(SET).settings("application_name").text("SET application_name = 'rewriter'").build(),
                NO_STARTUP).rule()).isEqualTo("allow-everything");
    }

    @Test
    void decideAllTakesTheMostRestrictiveEarliestStatement() throws Exception {
        PolicyEngine engine = engine("""
                rules:
                  - { name: reads, outcome: allow, match: { statements: [select] } }
                  - { name: approve, outcome: require_approval, reason: x, match: { statements: [update] } }
                  - { name: no-drop, outcome: deny, reason: x, match: { statements: [drop] } }
                """);
        StatementAnalysis read = select();
        StatementAnalysis update = statement(UPDATE).where(WhereShape.PRESENT).build();
        StatementAnalysis drop = statement(DROP).object("table").build();

        assertThat(engine.decideAll(AGENT, "t", List.of(read, update, drop), NO_STARTUP).rule()).isEqualTo("no-drop");
        assertThat(engine.decideAll(AGENT, "t", List.of(read, update, read), NO_STARTUP).rule()).isEqualTo("approve");
        assertThat(engine.decideAll(AGENT, "t", List.of(read, read), NO_STARTUP).rule()).isEqualTo("reads");
        assertThat(engine.decideAll(AGENT, "t", List.of(), NO_STARTUP))
                .extracting(Decision::outcome, Decision::rule).containsExactly(Outcome.ALLOW, "warden-empty");
    }

    @Test
    void decisionsCarryPolicyVersionAndApprovalRequirement() throws Exception {
        PolicyEngine engine = engine("""
                rules:
                  - name: approve
                    outcome: require_approval
                    reason: "Sensitive"
                    hint: "Wait"
                    match: { statements: [update] }
                    approvers: { groups: [dbas], count: 2 }
                    approval_timeout: 5m
                """);

        Decision decision = decide(engine, statement(UPDATE).where(WhereShape.PRESENT));

        assertThat(decision.policyVersion()).isEqualTo(engine.policy().version());
        assertThat(decision.approval()).hasValueSatisfying(approval -> {
            assertThat(approval.groups()).containsExactly("dbas");
            assertThat(approval.count()).isEqualTo(2);
            assertThat(approval.timeout()).hasMinutes(5);
        });
        assertThat(decision.hint()).isEqualTo("Wait");
    }

    @Test
    void cachedDecisionsEqualFreshOnesAndTheCacheIsBounded() throws Exception {
        Policy policy = PolicyLoader.parse("rules: [{ name: reads, outcome: allow, match: { statements: [select] } }]\n",
                Path.of("p.yaml"));
        PolicyEngine cached = new PolicyEngine(policy, 2);
        PolicyEngine uncached = new PolicyEngine(policy, 0);

        for (int i = 0; i < 5; i++) {
            StatementAnalysis statement = statement(SELECT).text("SELECT " + i).build();
            assertThat(cached.decide(AGENT, "t", statement, NO_STARTUP)).isEqualTo(uncached.decide(AGENT, "t", statement, NO_STARTUP));
            assertThat(cached.decide(AGENT, "t", statement, NO_STARTUP)).isSameAs(cached.decide(AGENT, "t", statement, NO_STARTUP));
        }
    }

    @Test
    void explainListsEveryMatchingRule() throws Exception {
        PolicyEngine engine = engine("""
                rules:
                  - { name: reads, outcome: allow, match: { statements: [select] } }
                  - { name: no-pay, outcome: deny, reason: x, match: { tables: [public.payments] } }
                """);

        PolicyEngine.Explanation explanation = engine.explain(AGENT, "t",
                statement(SELECT).reads("public.payments").build(), NO_STARTUP);

        assertThat(explanation.decision().rule()).isEqualTo("no-pay");
        assertThat(explanation.matchedRules()).extracting(PolicyEngine.RuleMatch::rule).containsExactly("reads", "no-pay");
    }

    @Test
    void globs() {
        assertThat(new Glob("pg_ls_*").matches("pg_ls_dir")).isTrue();
        assertThat(new Glob("pg_ls_*").matches("pg_ls_")).isTrue();
        assertThat(new Glob("pg_ls_*").matches("pg_l")).isFalse();
        assertThat(new Glob("*slot*").matches("pg_drop_replication_slot")).isTrue();
        assertThat(new Glob("a?c").matches("abc")).isTrue();
        assertThat(new Glob("a?c").matches("ac")).isFalse();
        assertThat(new Glob("*a*b").matches("xaxxbyb")).isTrue();
        assertThat(new Glob("*a*b").matches("xaxxby")).isFalse();
        assertThat(new Glob("Customers").matches("customers")).isFalse();
        assertThat(new Glob("*").matches("")).isTrue();
    }

    static StatementAnalysis select() {
        return statement(SELECT).build();
    }

    static Decision decide(PolicyEngine engine, TestingStatements statement) {
        return engine.decide(AGENT, "t", statement.build(), NO_STARTUP);
    }

    @Test
    void aReadOnlyIdentitysWriteThatCannotRunEvenIfApprovedIsRefusedSayingWhy() throws Exception {
        PolicyEngine engine = engine("""
                rules:
                  - name: approve-writes
                    outcome: require_approval
                    match: { written_tables: [public.customers] }
                    reason: "Customer data."
                """);
        StatementAnalysis update = statement(UPDATE).writes("public.customers").where(WhereShape.PRESENT).build();
        Decision held = engine.decide(READER, "t", update, NO_STARTUP);
        assertThat(held.outcome()).as("the engine holds it; whether it can run is the gateway's to say")
                .isEqualTo(Outcome.REQUIRE_APPROVAL);
        assertThat(BuiltInRules.writes(update)).isTrue();
        assertThat(BuiltInRules.writes(select())).isFalse();
        Decision refused = BuiltInRules.approvalThatCannotHelp(READER, held, "target t has no writer credential");
        assertThat(refused.outcome()).isEqualTo(Outcome.DENY);
        assertThat(refused.rule()).isEqualTo("warden-read-only");
        assertThat(refused.reason()).contains("target t has no writer credential").contains("approve-writes");
    }

    static PolicyEngine engine(String yaml) throws Exception {
        return new PolicyEngine(PolicyLoader.parse(yaml, Path.of("p.yaml")));
    }

}
