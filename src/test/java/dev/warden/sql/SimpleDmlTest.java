package dev.warden.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The token-only path against the full (JSqlParser) path: for every corpus statement and every statement
 * below, both analysers must give equal analyses, whether the token-only path accepted the statement or not.
 * Then look-alikes that must decline, and accepted statements whose WHERE still folds.
 */
class SimpleDmlTest {
    private static final TestingCatalog CATALOG = TestingCatalog.standard();
    private static final StatementAnalyzer FAST = new StatementAnalyzer(CATALOG);
    private static final StatementAnalyzer FULL = new StatementAnalyzer(CATALOG, false);

    /** Statements of the other tests and shapes near the edge of what the token-only path reads. */
    private static final List<String> EXTRA = List.of(
            "SELECT abalance FROM pgbench_accounts WHERE aid = 12345;",
            "SELECT abalance FROM pgbench_accounts WHERE aid = $1",
            "UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2",
            "UPDATE pgbench_accounts SET abalance = abalance + -5 WHERE aid = 77",
            "UPDATE pgbench_tellers SET tbalance = tbalance + 10 WHERE tid = 3",
            "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (1, 2, 3, 4, '2024-01-01')",
            "INSERT INTO accounts VALUES (1, 'x'), (2, 'y'), ($1, $2)",
            "INSERT INTO accounts (id, balance) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET balance = excluded.balance",
            "DELETE FROM t WHERE id = 1",
            "DELETE FROM t",
            "DELETE FROM t x WHERE x.id IN (1, 2, 3)",
            "UPDATE t SET a = 1",
            "UPDATE t SET a = 1 WHERE true",
            "UPDATE t SET a = 1 WHERE 1 = 1",
            "UPDATE t SET a = 1 WHERE x = 1 OR true",
            "UPDATE t SET a = 1 WHERE x = -1 OR 1 = 1",
            "UPDATE t SET a = 1 WHERE NOT false",
            "UPDATE t SET a = 1 WHERE NOT 1 = 2 AND false",
            "UPDATE t SET a = 1 WHERE NOT (1 = 2 AND false)",
            "UPDATE t SET a = 1 WHERE (x = 1 OR NULL IS NULL)",
            "UPDATE t SET a = 1 WHERE x IS NOT NULL OR 1 IS NOT NULL",
            "UPDATE t SET a = 1 WHERE 'a' = 'a'",
            "UPDATE t SET a = 1 WHERE 'a' <> 'b'",
            "UPDATE t SET a = 1 WHERE '1' = 1",
            "UPDATE t SET a = 1 WHERE 2 > 1 AND 3 >= 3 AND 1 < 2 AND 1 <= 1 AND 1 != 2",
            "UPDATE t SET a = 1 WHERE x BETWEEN 1 AND 2 OR 5 NOT BETWEEN 1 AND 2",
            "UPDATE t SET a = 1 WHERE x NOT IN (1, 2) OR true",
            "UPDATE t SET a = 1 WHERE NULL",
            "UPDATE t SET a = 1 WHERE NULL OR true",
            "UPDATE t SET a = 1 WHERE false OR NULL",
            "UPDATE t SET a = 1, b = 'x', c = $1, d = b * 2 - 1 WHERE id = $2",
            "UPDATE t AS x SET a = 1 WHERE x.id = 1",
            "UPDATE active_users SET name = 'x' WHERE id = 1",
            "DELETE FROM user_orders WHERE id = 1",
            "SELECT * FROM active_users",
            "SELECT * FROM user_orders WHERE id = 1",
            "SELECT 1",
            "SELECT 'x', $1, -2, 3.5, true, null",
            "SELECT a AS b, c FROM t",
            "SELECT * FROM t ORDER BY a DESC NULLS LAST, 2 LIMIT 10 OFFSET 5",
            "SELECT * FROM t LIMIT $1 OFFSET $2",
            "SELECT * FROM t WHERE a = 1 FOR UPDATE",
            "SELECT * FROM t FOR NO KEY UPDATE SKIP LOCKED",
            "SELECT * FROM t FOR KEY SHARE NOWAIT",
            "SELECT * FROM t FOR SHARE",
            "SELECT * FROM secret.keys",
            "SELECT * FROM public.t",
            "SELECT * FROM nowhere.t",
            "SELECT * FROM unknown_table",
            "SELECT /* comment */ a -- another\nFROM t WHERE a = 1",
            "SELECT a FROM t WHERE a = E'x\\'y'",
            "SELECT a FROM t WHERE a = $$x$$",
            "SELECT a FROM t WHERE a = 'x''y' OR b = 'it''s'",
            "SELECT a FROM t WHERE a IS NULL AND (b = 1 OR c <> 2) AND NOT d = 3",
            "select A from T where B = 1",
            "EXPLAIN SELECT * FROM t WHERE a = 1",
            "EXPLAIN ANALYZE DELETE FROM t WHERE a = 1",
            "EXPLAIN DELETE FROM secret.keys",
            "PREPARE p1 AS UPDATE t SET a = $1 WHERE id = $2",
            "DECLARE c CURSOR FOR SELECT * FROM t",
            "CALL p(1)",
            "COPY (SELECT a FROM t WHERE b = 1) TO STDOUT",
            "CREATE TABLE x AS SELECT a FROM t",
            "(SELECT 1)",
            "SELECT now(), lower(name) FROM t WHERE pg_read_file('/x') IS NOT NULL ORDER BY md5(name)",
            "INSERT INTO t VALUES (pg_read_file('/etc/passwd'))",
            "SELECT 1; DROP TABLE t; FROBNICATE",
            // Joins, upserts and RETURNING
            "SELECT u.name, o.total, a.balance FROM users u JOIN orders o ON o.user_id = u.id "
                    + "LEFT JOIN accounts a ON a.user_id = u.id WHERE u.id = $1 ORDER BY o.created_at DESC LIMIT 20",
            "SELECT * FROM t INNER JOIN secret.keys k ON k.id = t.id",
            "SELECT * FROM t LEFT OUTER JOIN u ON u.id = t.id AND u.x IS NULL RIGHT JOIN v ON true FULL JOIN w ON 1 = 1",
            "SELECT * FROM t CROSS JOIN u, secret.keys",
            "SELECT * FROM t, u WHERE t.a = u.a",
            "DELETE FROM t WHERE id = 1 RETURNING *",
            "UPDATE t SET a = 1 WHERE id = 1 RETURNING a",
            "INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING",
            "INSERT INTO t VALUES (1) RETURNING id",
            "SELECT * FROM t JOIN u ON t.id = u.id",
            "SELECT * FROM t, u",
            "SELECT DISTINCT a FROM t",
            "SELECT a FROM t GROUP BY a",
            "SELECT status, count(*), sum(total) FROM orders WHERE created_at > $1 GROUP BY status ORDER BY 2 DESC",
            "SELECT count(*) FROM secret.keys",
            "SELECT count(DISTINCT a) FROM t",
            "SELECT max(a), min(t.b) AS m, avg(c + 1) FROM t GROUP BY d, 2 HAVING count(*) > 1 AND sum(a) < $1",
            "SELECT lower(upper(a)), length(b), date_trunc('day', c), now() FROM t ORDER BY lower(a), count(*)",
            "SELECT round(a, 2), abs(-1), floor(b), ceil(c), char_length(d) FROM active_users",
            "SELECT count(*) FROM t WHERE lower(a) = 'x'",
            "SELECT count(*) OVER () FROM t",
            "SELECT count(*) FILTER (WHERE a = 1) FROM t",
            "SELECT pg_catalog.count(*) FROM t",
            "SELECT set_config('role', 'x', false)",
            "SELECT md5(a) FROM t",
            "SELECT sum(a) FROM t GROUP BY ROLLUP (a)",
            "SELECT DISTINCT ON (a) a FROM t",
            "UPDATE t SET a = lower(b) WHERE id = 1",
            "SELECT count(*) total FROM t",
            "SELECT now()",
            "SELECT id, name, email, note FROM bench_rows WHERE id BETWEEN 5000 AND 5000 + 999",
            "SELECT * FROM t WHERE a * 2 - 1 > b / 3 AND c = $1 + $2",
            "SELECT * FROM t WHERE 1 + 1 = 2",
            "SELECT * FROM t JOIN u ON u.a = t.a + 1 WHERE t.b BETWEEN $1 - 1 AND $1 + 1",
            "DELETE FROM t WHERE 1 + 1 = 2",
            "UPDATE t SET a = 1 WHERE id = 1 + 1",
            "DELETE FROM t WHERE id BETWEEN 1 AND 1 + 9",
            "SELECT * FROM active_users au JOIN user_orders uo ON uo.id = au.id",
            "SELECT * FROM t JOIN t ON true",
            "SELECT * FROM t NATURAL JOIN u",
            "SELECT * FROM t JOIN u USING (id)",
            "SELECT * FROM t JOIN u",
            "SELECT * FROM t CROSS JOIN u ON true",
            "SELECT * FROM t JOIN (SELECT 1) s ON true",
            "SELECT * FROM t JOIN lateral f(1) ON true",
            "INSERT INTO accounts (id, balance) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            "INSERT INTO accounts (id, balance) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id",
            "INSERT INTO accounts (id, balance) VALUES (1, 2) ON CONFLICT (id) DO UPDATE SET balance = excluded.balance + 1, "
                    + "id = 3 WHERE accounts.balance < 10 RETURNING *",
            "INSERT INTO secret.keys VALUES (1) ON CONFLICT (id) DO UPDATE SET v = EXCLUDED.v",
            "INSERT INTO t VALUES (1) ON CONFLICT ON CONSTRAINT t_pkey DO NOTHING",
            "INSERT INTO t VALUES (1) ON CONFLICT (id) WHERE id > 0 DO NOTHING",
            "INSERT INTO t VALUES (excluded.a)",
            "UPDATE t SET a = excluded.a WHERE id = 1",
            "INSERT INTO t (a) VALUES (1) RETURNING a, b AS c, 1",
            "UPDATE t SET a = 1 WHERE id = 2 RETURNING *",
            "DELETE FROM t WHERE id = 2 RETURNING id, t.a",
            "DELETE FROM t RETURNING lower(a)",
            "UPDATE t SET a = 1 RETURNING (SELECT secret FROM secret.keys)");

    static List<String> statements() throws IOException {
        List<String> all = new ArrayList<>(EXTRA);
        all.addAll(LookAlikes.DECLINED);
        try (var in = SimpleDmlTest.class.getResourceAsStream("/sql/analysis-corpus.tsv");
                var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    all.add(line.split("\t", 7)[6].replace("\\n", "\n").replace("\\t", "\t"));
                }
            }
        }
        return all;
    }

    private static SqlSessionState session(StatementAnalyzer analyzer) {
        SqlSessionState session = new SqlSessionState();
        for (String prepare : List.of("PREPARE del AS DELETE FROM t", "PREPARE sel(int) AS SELECT * FROM t WHERE a = $1",
                "PREPARE upd AS UPDATE accounts SET balance = 0 WHERE id = 1")) {
            session.observeCompleted(analyzer.analyzeOne(prepare, session));
        }
        return session;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statements")
    void tokenOnlyPathAgreesWithTheParser(String sql) {
        assertThat(FAST.analyze(sql, session(FAST))).isEqualTo(FULL.analyze(sql, session(FULL)));
    }

    /**
     * Random statements from the token-only grammar (and a little outside it), fixed seed: the corpus cannot
     * hold every way NOT, AND, OR, IS NULL and constants combine, and folding depends on all of them.
     */
    @Test
    void agreesOnGeneratedStatements() {
        Random random = new Random(20261125);
        int accepted = 0;
        for (int i = 0; i < 3000; i++) {
            String where = predicate(random, 3);
            String sql = switch (random.nextInt(4)) {
                case 0 -> "UPDATE t SET a = " + operand(random) + " WHERE " + where;
                case 1 -> "DELETE FROM accounts x WHERE " + where;
                case 2 -> "SELECT a, " + operand(random) + " FROM t WHERE " + where + (random.nextBoolean() ? " FOR UPDATE" : "");
                default -> "UPDATE active_users SET name = " + operand(random) + " WHERE " + where;
            };
            assertThat(FAST.analyze(sql, new SqlSessionState())).as(sql).isEqualTo(FULL.analyze(sql, new SqlSessionState()));
            if (accepts(sql)) {
                accepted++;
            }
        }
        assertThat(accepted).isGreaterThan(2000);
    }

    /** The clauses around WHERE: select lists, aliases, ORDER BY, LIMIT/OFFSET, locks, SET and VALUES lists. */
    @Test
    void agreesOnGeneratedClauses() {
        Random random = new Random(11);
        int accepted = 0;
        for (int i = 0; i < 2000; i++) {
            String sql = switch (random.nextInt(4)) {
                case 0 -> "SELECT " + pick(random, "", "DISTINCT ") + list(random, () -> pick(random, "*", "a", "t.a", "x.b", "a AS b",
                                "'s' AS c", "$1", "-3", "2.5", "count(*)", "sum(a + 1) AS s", "lower(x.b)", "max(a)"))
                        + pick(random, "", " FROM t", " FROM t x", " FROM t AS x", " FROM secret.keys", " FROM user_orders u",
                                " FROM t JOIN u ON u.a = t.a", " FROM t x LEFT JOIN secret.keys k ON k.id = x.id AND k.a IS NULL",
                                " FROM t, u", " FROM t CROSS JOIN active_users a")
                        + pick(random, "", " WHERE a = 1", " WHERE a BETWEEN $1 AND $1 + 9", " WHERE a * 2 > b - 1")
                        + pick(random, "", " GROUP BY a", " GROUP BY 1, x.b", " GROUP BY a HAVING count(*) > 2")
                        + pick(random, "", " ORDER BY a", " ORDER BY 1 DESC", " ORDER BY a ASC NULLS FIRST, x.b NULLS LAST",
                                " ORDER BY count(*) DESC")
                        + pick(random, "", " LIMIT 10", " LIMIT $1") + pick(random, "", " OFFSET 0", " OFFSET $2")
                        + pick(random, "", " FOR UPDATE", " FOR SHARE NOWAIT", " FOR NO KEY UPDATE SKIP LOCKED", " FOR KEY SHARE");
                case 1 -> "INSERT INTO " + pick(random, "t", "secret.keys", "active_users")
                        + pick(random, "", " (a)", " (a, b, c)") + " VALUES "
                        + list(random, () -> "(" + list(random, () -> value(random)) + ")")
                        + pick(random, "", " ON CONFLICT DO NOTHING", " ON CONFLICT (a) DO UPDATE SET b = excluded.b",
                                " ON CONFLICT (a, b) DO UPDATE SET c = " + value(random) + " WHERE c = 1")
                        + pick(random, "", " RETURNING *", " RETURNING a, b");
                case 2 -> "UPDATE " + pick(random, "t", "t x", "t AS x", "secret.keys") + " SET "
                        + list(random, () -> pick(random, "a", "b") + " = " + value(random)) + pick(random, "", " WHERE id = $1");
                default -> "DELETE FROM " + pick(random, "t", "t x", "secret.keys k", "user_orders") + pick(random, "", " WHERE a IS NULL");
            };
            assertThat(FAST.analyze(sql, new SqlSessionState())).as(sql).isEqualTo(FULL.analyze(sql, new SqlSessionState()));
            if (accepts(sql)) {
                accepted++;
            }
        }
        assertThat(accepted).isGreaterThan(1500);
    }

    private static String value(Random random) {
        String v = operand(random);
        return random.nextBoolean() ? v : v + " " + pick(random, "+", "-", "*", "/") + " " + operand(random);
    }

    private static String list(Random random, Supplier<String> element) {
        StringBuilder out = new StringBuilder(element.get());
        for (int n = random.nextInt(3); n > 0; n--) {
            out.append(", ").append(element.get());
        }
        return out.toString();
    }

    private static String pick(Random random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static final String[] OPERANDS = {"x", "t.x", "1", "0", "-1", "+2", "12345", "'a'", "'b'", "'1'", "NULL", "TRUE",
        "false", "$1", "1.5", "y"};
    private static final String[] COMPARISONS = {"=", "<>", "!=", "<", ">", "<=", ">="};

    private static String operand(Random random) {
        return OPERANDS[random.nextInt(OPERANDS.length)];
    }

    private static String predicate(Random random, int depth) {
        int choice = random.nextInt(depth > 0 ? 11 : 6);
        return switch (choice) {
            case 0, 1 -> operand(random) + " " + COMPARISONS[random.nextInt(COMPARISONS.length)] + " " + operand(random);
            case 2 -> operand(random) + (random.nextBoolean() ? " IS NULL" : " IS NOT NULL");
            case 3 -> operand(random) + (random.nextBoolean() ? " NOT" : "") + " BETWEEN " + operand(random) + " AND " + operand(random);
            case 4 -> operand(random) + (random.nextBoolean() ? " NOT" : "") + " IN (" + operand(random) + ", " + operand(random) + ")";
            case 5 -> operand(random);
            case 6 -> "NOT " + predicate(random, depth - 1);
            case 7 -> "(" + predicate(random, depth - 1) + ")";
            case 8, 9 -> predicate(random, depth - 1) + " AND " + predicate(random, depth - 1);
            default -> predicate(random, depth - 1) + " OR " + predicate(random, depth - 1);
        };
    }

    @Test
    void acceptsTheCommonShapes() throws IOException {
        int accepted = 0;
        for (String sql : statements()) {
            if (accepts(sql)) {
                accepted++;
            }
        }
        assertThat(accepted).as("statements the token-only path reads").isGreaterThan(80);
        assertThat(accepts("SELECT abalance FROM pgbench_accounts WHERE aid = 12345")).isTrue();
        assertThat(accepts("UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2")).isTrue();
        assertThat(accepts("INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ($1, $2, $3, $4, $5)")).isTrue();
        assertThat(accepts("DELETE FROM t WHERE id = 1")).isTrue();
        assertThat(accepts("SELECT /* comment */ a -- another\nFROM t WHERE a = 1")).isTrue();
    }

    @Test
    void acceptedWhereClausesStillFold() {
        for (String sql : List.of("UPDATE t SET a = 1 WHERE x = 1 OR true", "DELETE FROM t WHERE 1 = 1",
                "DELETE FROM t WHERE NOT false", "DELETE FROM t WHERE (x = 2 OR 'a' = 'a')", "DELETE FROM t WHERE NULL IS NULL")) {
            assertThat(accepts(sql)).as(sql).isTrue();
            assertThat(FAST.analyzeOne(sql, new SqlSessionState()).where()).as(sql).isEqualTo(WhereShape.CONSTANT_TRUE);
        }
        for (String sql : List.of("DELETE FROM t WHERE x = 1 AND true", "DELETE FROM t WHERE 'a' <> 'b'",
                "DELETE FROM t WHERE NULL", "DELETE FROM t WHERE x BETWEEN 1 AND 2")) {
            assertThat(accepts(sql)).as(sql).isTrue();
            assertThat(FAST.analyzeOne(sql, new SqlSessionState()).where()).as(sql).isEqualTo(WhereShape.PRESENT);
        }
        assertThat(FAST.analyzeOne("DELETE FROM t", new SqlSessionState()).where()).isEqualTo(WhereShape.ABSENT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.warden.sql.SimpleDmlTest$LookAlikes#declined")
    void looksAlikeDecline(String sql) {
        assertThat(accepts(sql)).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"SELECT * FROM \"T\"", "SELECT \"a\" FROM t", "UPDATE t SET \"a\" = 1", "DELETE FROM t WHERE \"true\""})
    void quotedIdentifiersDecline(String sql) {
        assertThat(accepts(sql)).isFalse();
    }

    /** Statements that look simple but carry a call, a subquery, a cast, a clause or a word the token-only path leaves alone. */
    static final class LookAlikes {
        static final List<String> DECLINED = List.of(
                "SELECT pg_sleep(1)",
                "SELECT a FROM t WHERE a = lower('x')",
                "SELECT a FROM t WHERE pg_sleep(1) IS NULL",
                "UPDATE t SET a = nextval('s') WHERE id = 1",
                "INSERT INTO t VALUES (pg_read_file('/etc/passwd'))",
                "SELECT a FROM t WHERE a IN (SELECT b FROM u)",
                "SELECT a FROM t WHERE a = (SELECT 1)",
                "SELECT a FROM t WHERE EXISTS (SELECT 1)",
                "WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x",
                "SELECT a::int FROM t",
                "SELECT a FROM t WHERE a = '1'::int",
                "INSERT INTO t SELECT * FROM u",
                "INSERT INTO t DEFAULT VALUES",
                "INSERT INTO t VALUES (DEFAULT)",
                "SELECT 1 UNION SELECT 2",
                "SELECT * FROM t WHERE a = 1 UNION SELECT * FROM u",
                "SELECT * FROM ONLY t",
                "UPDATE t SET a = 1 FROM u WHERE t.id = u.id",
                "DELETE FROM t USING u WHERE t.id = u.id",
                "DELETE FROM t WHERE CURRENT OF c",
                "SELECT * FROM t FOR UPDATE OF t",
                "SELECT a FROM t WHERE a ~ 'x'",
                "SELECT a FROM t WHERE a LIKE 'x%'",
                "SELECT a FROM t WHERE a || 'x' = 'y'",
                "SELECT a FROM t WHERE a = 1.5",
                "SELECT a FROM t WHERE a = 1e3",
                "SELECT a FROM t WHERE a = 0x1F",
                "SELECT a FROM t WHERE a = 1_000",
                "SELECT a FROM t WHERE a = B'101'",
                "SELECT a FROM t WHERE a IS TRUE",
                "SELECT a FROM t WHERE a IS DISTINCT FROM 1",
                "SELECT a FROM t WHERE a = ANY($1)",
                "SELECT a FROM t WHERE a = b = c",
                "SELECT a FROM t WHERE a IN (b, c)",
                "SELECT a[1] FROM t",
                "SELECT t.* FROM t",
                "SELECT a.b.c FROM t",
                "SELECT * FROM a.b.c",
                "SELECT current_user",
                "SELECT a FROM t WHERE b = current_date",
                "SELECT a FROM t WHERE b = date '2020-01-01'",
                "SELECT a b FROM t",
                "SELECT * FROM t x(a, b)",
                "SELECT * FROM t TABLESAMPLE SYSTEM (10)",
                "SELECT a FROM t WHERE (update = 1)",
                "SELECT * FROM t LIMIT ALL",
                "SELECT * FROM t OFFSET 5 ROWS",
                "SELECT * FROM t FETCH FIRST 5 ROWS ONLY",
                "SELECT a FROM t WHERE " + "(".repeat(40) + "a = 1" + ")".repeat(40),
                "UPDATE t SET (a, b) = (1, 2)",
                "UPDATE t SET a = DEFAULT",
                "UPDATE t SET t.a = 1",
                "INSERT INTO t AS x VALUES (1)",
                "INSERT INTO t (a) OVERRIDING SYSTEM VALUE VALUES (1)",
                "SELECT 1 WHERE true",
                "SELECT a FROM t WHERE x = - -1",
                "SELECT a FROM t WHERE x = -$1",
                "TABLE t",
                "VALUES (1)",
                "MERGE INTO t USING u ON t.id = u.id WHEN MATCHED THEN DELETE",
                "SELECT a$b FROM t",
                "SELECT \u00e9t\u00e9 FROM t",
                "DELETE FROM caf\u00e9 WHERE id = 1");

        static List<String> declined() {
            return DECLINED;
        }
    }

    private static boolean accepts(String sql) {
        try {
            List<StatementSplitter.Piece> pieces = StatementSplitter.splitTokens(sql, true);
            if (pieces.size() != 1) {
                return false;
            }
            AnalysisBuilder out = new AnalysisBuilder(sql);
            return SimpleDml.analyze(pieces.get(0).tokens(), out, new NameResolver(CATALOG, List.of("$user", "public")));
        } catch (SqlLexException e) {
            return false;
        }
    }
}
