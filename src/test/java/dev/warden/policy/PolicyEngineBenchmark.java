package dev.warden.policy;

import static dev.warden.policy.TestingStatements.statement;

import dev.warden.sql.StatementAnalysis;
import dev.warden.sql.StatementKind;
import dev.warden.sql.WhereShape;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decisions under the sample policy for hand-built analyses (the analyser is measured apart): a
 * read, a bounded write to a sensitive table, and a statement denied by the last deny rules. The
 * {@code uncached} benchmarks evaluate the rules every time; {@code cached} ones hit the LRU. Run
 * with {@code bench/jmh.sh PolicyEngineBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PolicyEngineBenchmark {

    private final Subject subject = new Subject("agent-1", Set.of("agents"), false);
    private final Map<String, String> startup = Map.of("application_name", "psql");
    private PolicyEngine cached;
    private PolicyEngine uncached;
    private StatementAnalysis read;
    private StatementAnalysis sensitiveWrite;
    private StatementAnalysis dblink;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Policy policy = PolicyLoader.load(Path.of("src/main/resources/policy/sample-policy.yaml"));
        cached = new PolicyEngine(policy);
        uncached = new PolicyEngine(policy, 0);
        read = statement(StatementKind.SELECT).text("SELECT o.id, i.sku FROM orders o JOIN items i ON i.order_id = o.id WHERE o.id = $1")
                .reads("public.orders", "public.items").build();
        sensitiveWrite = statement(StatementKind.UPDATE).text("UPDATE customers SET email = $1 WHERE id = $2")
                .writes("public.customers").reads("public.customers").where(WhereShape.PRESENT).build();
        dblink = statement(StatementKind.SELECT).text("SELECT * FROM dblink('host=x', 'select 1') AS t(a int)")
                .functions("public.dblink").build();
    }

    @Benchmark
    public Decision readUncached() {
        return uncached.decide(subject, "shop", read, startup);
    }

    @Benchmark
    public Decision sensitiveWriteUncached() {
        return uncached.decide(subject, "shop", sensitiveWrite, startup);
    }

    @Benchmark
    public Decision dblinkUncached() {
        return uncached.decide(subject, "shop", dblink, startup);
    }

    @Benchmark
    public Decision readCached() {
        return cached.decide(subject, "shop", read, startup);
    }

    @Benchmark
    public Decision sensitiveWriteCached() {
        return cached.decide(subject, "shop", sensitiveWrite, startup);
    }
}
