package dev.warden.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.catalog.CatalogSnapshot;
import dev.warden.sql.QualifiedName;
import dev.warden.sql.SqlSessionState;
import dev.warden.sql.StatementAnalyzer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The masking denials as the policy engine applies them, over a real analyser and catalog. */
class MaskingRulesTest {
    static final String POLICY = """
            groups:
              pii-readers: [reader]
              blind-agents: [blind]
            targets:
              "*": { default: allow }
            rules: []
            masking:
              exempt_groups: [pii-readers]
              deny_predicates_on_masked: [blind-agents]
              trusted_functions: [public.order_total]
              detectors: [email]
              columns:
                - { column: public.customers.email, strategy: full }
                - { column: public.customers.ssn, strategy: "null" }
            """;

    private static final CatalogSnapshot CATALOG = new CatalogSnapshot("agent",
            List.of(relation(1, "public", "customers", 'r'), relation(2, "public", "orders", 'r'),
                    relation(3, "public", "customer_contacts", 'v'),
                    relation(6, "public", "customers_view", 'v'), relation(4, "pg_catalog", "pg_stats", 'v'),
                    relation(5, "pg_catalog", "pg_statistic", 'r')),
            Map.of(3L, List.of(1L), 6L, List.of(1L)),
            List.of(function(10, "pg_catalog", "upper"), function(11, "pg_catalog", "count"),
                    function(12, "pg_catalog", "set_config"), function(13, "pg_catalog", "pg_notify"),
                    function(14, "pg_catalog", "lo_from_bytea"), function(15, "pg_catalog", "query_to_xml"),
                    function(16, "public", "my_secret_reader"), function(17, "public", "order_total"),
                    function(18, "pg_catalog", "row_to_json"), function(19, "pg_catalog", "convert_to"),
                    function(20, "pg_catalog", "length")));

    private static final PolicyEngine ENGINE;

    static {
        try {
            ENGINE = new PolicyEngine(PolicyLoader.parse(POLICY, Path.of("p.yaml")));
        } catch (dev.warden.config.ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CatalogSnapshot.Relation relation(long oid, String schema, String name, char kind) {
        return new CatalogSnapshot.Relation(oid, new QualifiedName(schema, name), kind);
    }

    private static CatalogSnapshot.Function function(long oid, String schema, String name) {
        return new CatalogSnapshot.Function(oid, new QualifiedName(schema, name));
    }

    private static Decision decide(String identity, String sql) {
        return ENGINE.decide(new Subject(identity, Set.of(), false), "app",
                new StatementAnalyzer(CATALOG).analyzeOne(sql, new SqlSessionState()), Map.of());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "warden-masking-staging|INSERT INTO orders (id) SELECT length(email) FROM customers",
        "warden-masking-staging|CREATE TABLE copy AS SELECT email FROM customers",
        "warden-masking-staging|CREATE VIEW v AS SELECT upper(email) AS e FROM customers",
        "warden-masking-staging|SELECT email INTO stolen FROM customers",
        "warden-masking-staging|UPDATE orders SET id = length(c.ssn) FROM customers c WHERE orders.id = 2",
        "warden-masking-staging|WITH x AS (INSERT INTO orders (id) SELECT length(email) FROM customers RETURNING id) SELECT * FROM x",
        "warden-masking-staging|SELECT set_config('x.y', email, false) FROM customers",
        "warden-masking-staging|SELECT pg_notify('c', email) FROM customers",
        "warden-masking-staging|SELECT lo_from_bytea(0, convert_to(ssn, 'UTF8')) FROM customers",
        "warden-masking-staging|INSERT INTO orders SELECT * FROM customers",
        "warden-masking-staging|INSERT INTO orders (id) SELECT length(c::text) FROM customers c",
        "warden-masking-staging|INSERT INTO orders (id) SELECT id FROM customer_contacts",
        "warden-masking-staging|INSERT INTO orders (id) SELECT length(email) FROM customers_view",
        "warden-masking-opaque-sql|SELECT query_to_xml('select email from customers', true, false, '')",
        "warden-masking-opaque-sql|SELECT public.my_secret_reader()",
        "warden-masking-opaque-sql|DO $$ BEGIN PERFORM 1; END $$",
        "warden-masking-statistics|SELECT * FROM pg_stats",
        "warden-masking-statistics|SELECT * FROM pg_catalog.pg_statistic",
    })
    void routesAroundTheMaskingAreDenied(String rule, String sql) {
        Decision decision = decide("agent", sql);
        assertThat(decision.outcome()).isEqualTo(Outcome.DENY);
        assertThat(decision.rule()).isEqualTo(rule);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "SELECT email, upper(email) FROM customers WHERE id = 1",
        "SELECT count(*) FROM customers",
        "INSERT INTO orders (id) SELECT id FROM orders",
        "INSERT INTO orders (id) VALUES (1)",
        "SELECT public.order_total()",
        "SELECT row_to_json(o) FROM orders o",
        "UPDATE customers SET email = 'x', ssn = 'y' WHERE id = 1",
        "DELETE FROM customers WHERE id = 1 RETURNING *",
        "WITH u AS (UPDATE customers SET email = 'x' WHERE id = 1 RETURNING *) SELECT * FROM u",
        "INSERT INTO customers (id, email) VALUES (1, 'x')",
        "UPDATE orders SET id = 1 WHERE id IN (SELECT id FROM customers WHERE email LIKE 'a%')",
    })
    void plainReadsAndUnrelatedWritesPass(String sql) {
        assertThat(decide("agent", sql).outcome()).isEqualTo(Outcome.ALLOW);
    }

    @Test
    void exemptIdentitiesMayStageAndPredicatesAreDeniedOnlyForTheListedGroups() {
        assertThat(decide("reader", "CREATE TABLE copy AS SELECT email FROM customers").outcome()).isEqualTo(Outcome.ALLOW);
        String oracle = "SELECT id FROM customers WHERE email LIKE 'a%'";
        assertThat(decide("agent", oracle).outcome()).isEqualTo(Outcome.ALLOW);
        Decision blind = decide("blind", oracle);
        assertThat(blind.rule()).isEqualTo("warden-masking-predicate");
        assertThat(decide("blind", "SELECT id FROM orders o JOIN customers c ON c.ssn = o.id::text").rule())
                .isEqualTo("warden-masking-predicate");
        assertThat(decide("blind", "SELECT name FROM customers ORDER BY email").rule()).isEqualTo("warden-masking-predicate");
        assertThat(decide("blind", "SELECT email FROM customers WHERE id = 3").outcome()).isEqualTo(Outcome.ALLOW);
    }
}
