package dev.warden.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.config.ConfigException;
import dev.warden.config.ConfigProblem;
import dev.warden.sql.CopySpec;
import dev.warden.sql.StatementKind;
import dev.warden.sql.WhereShape;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPolicyLoader {

    @TempDir
    Path directory;

    @Test
    void mapsEveryKey() throws Exception {
        String yaml = """
                groups:
                  dbas: [alice, bob]
                  auditors: []
                targets:
                  shop: { default: allow }
                  "*": { default: require_approval }
                rules:
                  - name: full-rule
                    outcome: require_approval
                    subjects: { identities: [agent-1], groups: [bots] }
                    targets: [shop, reports]
                    match:
                      statements: [delete, copy_from]
                      objects: [table, "event trigger"]
                      tables: [public.customers, "public.pay*"]
                      written_tables: ["*.orders"]
                      functions: [pg_read_file, "pg_catalog.pg_ls_*", "dblink*"]
                      copy: { direction: from, endpoint: [program, file] }
                      where: [absent, constant_true]
                      settings: [role, "transaction_*"]
                      startup: { application_name: "psql*" }
                      estimated_rows: { over: 1000 }
                      unknown: false
                    reason: "Needs a look"
                    hint: "Wait for a DBA."
                    approvers: { groups: [dbas], identities: [carol], count: 2 }
                    approval_timeout: 30m
                  - name: plain-allow
                    outcome: allow
                """;
        Path file = Files.writeString(directory.resolve("policy.yaml"), yaml);

        Policy policy = PolicyLoader.load(file);

        assertThat(policy.source()).isEqualTo(file);
        assertThat(policy.version()).isEqualTo(PolicyLoader.sha256(yaml.getBytes(StandardCharsets.UTF_8))).hasSize(64);
        assertThat(policy.shortVersion()).isEqualTo(policy.version().substring(0, 12));
        assertThat(policy.groups()).isEqualTo(Map.of("dbas", Set.of("alice", "bob"), "auditors", Set.of()));
        assertThat(policy.targetDefaults()).isEqualTo(Map.of("shop", Outcome.ALLOW, "*", Outcome.REQUIRE_APPROVAL));
        assertThat(policy.defaultFor("shop")).isEqualTo(Outcome.ALLOW);
        assertThat(policy.defaultFor("other")).isEqualTo(Outcome.REQUIRE_APPROVAL);
        assertThat(policy.ruleNames()).containsExactly("full-rule", "plain-allow");

        PolicyRule rule = policy.rules().get(0);
        assertThat(rule.outcome()).isEqualTo(Outcome.REQUIRE_APPROVAL);
        assertThat(rule.identities()).containsExactly("agent-1");
        assertThat(rule.groups()).containsExactly("bots");
        assertThat(rule.targets()).containsExactlyInAnyOrder("shop", "reports");
        assertThat(rule.reason()).isEqualTo("Needs a look");
        assertThat(rule.hint()).isEqualTo("Wait for a DBA.");
        assertThat(rule.line()).isEqualTo(8);
        assertThat(rule.approval()).contains(new ApprovalRequirement(List.of("carol"), List.of("dbas"), 2, Duration.ofMinutes(30)));
        StatementMatch match = rule.match();
        assertThat(match.statements()).containsExactlyInAnyOrder(StatementKind.DELETE, StatementKind.COPY_FROM);
        assertThat(match.objects()).containsExactlyInAnyOrder("table", "event trigger");
        assertThat(match.tables()).extracting(NamePattern::toString).containsExactly("public.customers", "public.pay*");
        assertThat(match.writtenTables()).extracting(NamePattern::toString).containsExactly("*.orders");
        assertThat(match.functions()).extracting(NamePattern::toString)
                .containsExactly("pg_read_file", "pg_catalog.pg_ls_*", "dblink*");
        assertThat(match.copyGiven()).isTrue();
        assertThat(match.copyDirections()).containsExactly(CopySpec.Direction.FROM);
        assertThat(match.copyEndpoints()).containsExactlyInAnyOrder(CopySpec.Endpoint.PROGRAM, CopySpec.Endpoint.FILE);
        assertThat(match.where()).containsExactlyInAnyOrder(WhereShape.ABSENT, WhereShape.CONSTANT_TRUE);
        assertThat(match.settings()).extracting(Glob::pattern).containsExactly("role", "transaction_*");
        assertThat(match.startup()).isEqualTo(Map.of("application_name", new Glob("psql*")));
        assertThat(match.estimatedRowsOver()).isEqualTo(1000L);
        assertThat(match.unknown()).isFalse();

        PolicyRule allow = policy.rules().get(1);
        assertThat(allow.match()).isEqualTo(StatementMatch.EVERYTHING);
        assertThat(allow.identities()).isEmpty();
        assertThat(allow.targets()).isEmpty();
        assertThat(allow.approval()).isEmpty();
        assertThat(allow.reason()).isEqualTo("matched policy rule plain-allow");
    }

    @Test
    void requireApprovalDefaultsToAnyApproverForFifteenMinutes() throws Exception {
        Policy policy = parse("""
                rules:
                  - { name: r, outcome: require_approval, reason: "look" }
                """);

        assertThat(policy.rules().get(0).approval()).contains(ApprovalRequirement.ANY_APPROVER);
        assertThat(policy.targetDefaults()).isEmpty();
        assertThat(policy.defaultFor("anything")).isEqualTo(Outcome.DENY);
    }

    @Test
    void versionIsTheHashOfTheFileBytes() throws Exception {
        Path file = Files.writeString(directory.resolve("p.yaml"), "rules: []\n");
        Policy first = PolicyLoader.load(file);
        Files.writeString(file, "rules: []\n# a comment changes the version\n");
        Policy second = PolicyLoader.load(file);

        assertThat(first.version()).isEqualTo(PolicyLoader.sha256("rules: []\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(second.version()).isNotEqualTo(first.version());
    }

    @Test
    void unknownKeysAtEveryLevel() {
        assertProblems("""
                rule: []
                rules:
                  - name: a
                    outcom: deny
                    match: { statement: [drop] }
                """,
                "p.yaml:1:1: rule: unknown key (expected one of groups, targets, rules, masking)",
                "p.yaml:3:5: rules[0].outcome: is required",
                "p.yaml:4:5: rules[0].outcom: unknown key (expected one of name, outcome, subjects, targets, match, reason, hint, approvers, approval_timeout)",
                "p.yaml:5:14: rules[0].match.statement: unknown key (expected one of statements, objects, tables, written_tables, functions, copy, where, settings, startup, estimated_rows, unknown)");
    }

    @Test
    void estimatedRowsTakeALimitAndOptionallyAnExactCount() throws Exception {
        Policy policy = PolicyLoader.parse("""
                rules:
                  - { name: a, outcome: deny, reason: r, match: { estimated_rows: { over: 5, exact: true } } }
                  - { name: b, outcome: deny, reason: r, match: { estimated_rows: { over: 7 } } }
                """, java.nio.file.Path.of("p.yaml"));
        assertThat(policy.rules().get(0).match().estimatedRowsExact()).isTrue();
        assertThat(policy.rules().get(1).match().estimatedRowsExact()).isFalse();
        assertProblems("""
                rules:
                  - { name: a, outcome: deny, reason: r, match: { estimated_rows: { over: 5, exact: maybe, under: 2 } } }
                """,
                "p.yaml:2:85: rules[0].match.estimated_rows.exact: must be one of true, false (got 'maybe')",
                "p.yaml:2:92: rules[0].match.estimated_rows.under: unknown key (expected one of over, exact)");
    }

    @Test
    void badOutcomeKindAndNames() {
        assertProblems("""
                targets:
                  shop: { default: maybe }
                rules:
                  - name: Bad_Name
                    outcome: permit
                  - name: r2
                    outcome: deny
                    reason: x
                    match:
                      statements: [drop, obliterate]
                      where: [sometimes]
                      copy: { direction: sideways }
                """,
                "p.yaml:2:20: targets.shop.default: must be one of allow, require_approval, deny (got 'maybe')",
                "p.yaml:4:11: rules[0].name: must be lower-case letters, digits and single hyphens, at most 63 characters (got 'Bad_Name')",
                "p.yaml:5:14: rules[0].outcome: must be one of allow, require_approval, deny (got 'permit')",
                "p.yaml:10:26: rules[1].match.statements[1]: must be one of " + kinds() + " (got 'obliterate')",
                "p.yaml:11:15: rules[1].match.where[0]: must be one of not_applicable, absent, constant_true, present (got 'sometimes')",
                "p.yaml:12:26: rules[1].match.copy.direction: must be one of from, to (got 'sideways')");
    }

    @Test
    void badGlobsAndNames() {
        assertProblems("""
                rules:
                  - name: r
                    outcome: deny
                    reason: x
                    match:
                      tables: [a.b.c, "public.", ".x", "has space", ok]
                      functions: ["quo\\"te"]
                      settings: [Role]
                      objects: [Table]
                """,
                "p.yaml:6:16: rules[0].match.tables[0]: must be a name or glob such as public.customers, public.pay* or dblink* (got 'a.b.c')",
                "p.yaml:6:23: rules[0].match.tables[1]: must be a name or glob such as public.customers, public.pay* or dblink* (got 'public.')",
                "p.yaml:6:34: rules[0].match.tables[2]: must be a name or glob such as public.customers, public.pay* or dblink* (got '.x')",
                "p.yaml:6:40: rules[0].match.tables[3]: must be a name or glob such as public.customers, public.pay* or dblink* (got 'has space')",
                "p.yaml:7:19: rules[0].match.functions[0]: must be a name or glob such as public.customers, public.pay* or dblink* (got 'quo\"te')",
                "p.yaml:8:18: rules[0].match.settings[0]: must be a setting name in lower case, globs allowed, such as search_path or transaction_* (got 'Role')",
                "p.yaml:9:17: rules[0].match.objects[0]: must be an object type in lower case as in SQL, such as table, view, function or event trigger (got 'Table')");
    }

    @Test
    void duplicateAndReservedRuleNames() {
        assertProblems("""
                rules:
                  - { name: same, outcome: allow }
                  - { name: other, outcome: allow }
                  - { name: same, outcome: allow }
                  - { name: warden-unknown-statement, outcome: allow }
                  - { name: default, outcome: allow }
                """,
                "p.yaml:4:13: rules[2].name: duplicate rule name (first defined at line 2)",
                "p.yaml:5:13: rules[3].name: 'warden-unknown-statement' is reserved for Warden's built-in rules and target defaults",
                "p.yaml:6:13: rules[4].name: 'default' is reserved for Warden's built-in rules and target defaults");
    }

    @Test
    void ruleConsistency() {
        assertProblems("""
                rules:
                  - name: needs-reason
                    outcome: deny
                  - name: approvers-on-allow
                    outcome: allow
                    approvers: { groups: [dbas] }
                    approval_timeout: 5m
                  - name: too-many
                    outcome: require_approval
                    reason: x
                    subjects: {}
                    approvers: { identities: [a], count: 2 }
                    approval_timeout: 0
                    match: {}
                """,
                "p.yaml:2:5: rules[0].reason: is required for deny rules: it is what the client is told",
                "p.yaml:6:16: rules[1].approvers: is only for require_approval rules",
                "p.yaml:7:23: rules[1].approval_timeout: is only for require_approval rules",
                "p.yaml:11:15: rules[2].subjects: must name at least one identity or group (leave subjects out to mean everyone)",
                "p.yaml:12:42: rules[2].approvers.count: asks for 2 approvers but only 1 identities are listed and no groups",
                "p.yaml:13:23: rules[2].approval_timeout: must be greater than 0",
                "p.yaml:14:12: rules[2].match: must give at least one condition (leave match out to mean every statement)");
    }

    @Test
    void groupsAndTargetsSections() {
        assertProblems("""
                groups:
                  dbas: alice
                  "bad group": [x]
                  dbas: [y]
                targets:
                  shop: deny
                  reports: { default: allow, extra: 1 }
                rules: []
                """,
                "p.yaml:2:9: groups.dbas: must be a list",
                "p.yaml:3:3: groups.bad group: must not contain whitespace or control characters",
                "p.yaml:4:3: groups.dbas: duplicate key (first set at line 2)",
                "p.yaml:6:9: targets.shop: must be a mapping of default",
                "p.yaml:7:30: targets.reports.extra: unknown key (expected one of default)");
    }

    @Test
    void missingRulesEmptyFileAndSyntax() throws Exception {
        assertProblems("groups: {}\n", "p.yaml:1:1: rules: is required");
        assertThatThrownBy(() -> parse("")).isInstanceOf(ConfigException.class)
                .hasMessage("p.yaml: is empty; a policy needs at least rules: (and usually targets:)");
        assertThatThrownBy(() -> parse("rules: [\n")).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).line()).isEqualTo(2));
        assertThatThrownBy(() -> PolicyLoader.load(directory.resolve("absent.yaml")))
                .hasMessageEndingWith("absent.yaml: cannot read: No such file");
        Path latin1 = Files.write(directory.resolve("latin1.yaml"), new byte[] {'r', 'u', 'l', 'e', 's', ':', ' ', (byte) 0xe9});
        assertThatThrownBy(() -> PolicyLoader.load(latin1)).hasMessageEndingWith("latin1.yaml: cannot read: not valid UTF-8");
    }

    @Test
    void samplePolicyIsValid() throws Exception {
        Policy policy = PolicyLoader.load(Path.of("src/main/resources/policy/sample-policy.yaml"));

        assertThat(policy.rules()).hasSizeGreaterThan(15);
        assertThat(policy.defaultFor("shop")).isEqualTo(Outcome.DENY);
    }

    private Policy parse(String yaml) throws ConfigException {
        return PolicyLoader.parse(yaml, Path.of("p.yaml"));
    }

    private void assertProblems(String yaml, String... expected) {
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).extracting(ConfigProblem::toString)
                        .containsExactly(expected));
    }

    private static String kinds() {
        return String.join(", ", RuleReader.choices(StatementKind.values()).keySet());
    }
}
