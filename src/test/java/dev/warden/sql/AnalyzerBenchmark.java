package dev.warden.sql;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time of {@link StatementAnalyzer#analyzeOne} (lexing, JSqlParser, folding, catalog resolution) for
 * typical statements, uncached. Run with {@code bench/jmh.sh AnalyzerBenchmark}; target: 20 µs median.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AnalyzerBenchmark {
    private final StatementAnalyzer analyzer = new StatementAnalyzer(TestingCatalog.standard());
    private final SqlSessionState session = new SqlSessionState();

    @Benchmark
    public StatementAnalysis pgbenchSelect() {
        return analyzer.analyzeOne("SELECT abalance FROM pgbench_accounts WHERE aid = $1", session);
    }

    /** pgbench -M simple: the literal differs every time, so no cache keyed by text can help. */
    @Benchmark
    public StatementAnalysis pgbenchSimpleLiteral() {
        return analyzer.analyze("SELECT abalance FROM pgbench_accounts WHERE aid = " + nextAid() + ";", session).get(0);
    }

    private int aid;

    private int nextAid() {
        aid = aid == 99_999 ? 1 : aid + 1;
        return aid;
    }

    @Benchmark
    public StatementAnalysis threeTableJoin() {
        return analyzer.analyzeOne("SELECT u.name, o.total, a.balance FROM users u JOIN orders o ON o.user_id = u.id "
                + "LEFT JOIN accounts a ON a.user_id = u.id WHERE u.id = $1 ORDER BY o.created_at DESC LIMIT 20", session);
    }

    @Benchmark
    public StatementAnalysis updateWithWhere() {
        return analyzer.analyzeOne("UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2", session);
    }

    @Benchmark
    public StatementAnalysis insertOnConflict() {
        return analyzer.analyzeOne("INSERT INTO accounts (id, balance) VALUES ($1, $2) "
                + "ON CONFLICT (id) DO UPDATE SET balance = excluded.balance", session);
    }

    /** Calls and GROUP BY leave the token-only path: this is the parser's cost. */
    @Benchmark
    public StatementAnalysis aggregateGroupBy() {
        return analyzer.analyzeOne("SELECT status, count(*), sum(total) FROM orders WHERE created_at > $1 "
                + "GROUP BY status ORDER BY 2 DESC", session);
    }

    @Benchmark
    public StatementAnalysis cteWithSubquery() {
        return analyzer.analyzeOne("WITH recent AS (SELECT user_id, max(created_at) AS last FROM orders GROUP BY user_id) "
                + "SELECT u.name, r.last FROM users u JOIN recent r ON r.user_id = u.id WHERE u.id IN (SELECT user_id "
                + "FROM accounts WHERE balance > 0)", session);
    }
}
