package dev.warden.proxy;

import dev.warden.protocol.pg.BackendMessages;
import dev.warden.protocol.pg.WireStrings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The gateway's own work per round trip and per result byte, without sockets: framing the client's
 * messages, in-flight bookkeeping, and scanning the server's stream. Run with
 * {@code bench/jmh.sh} (see docs/BENCHMARKS.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RelayHotPathBenchmark {
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private ByteBuf preparedRequest;
    private ByteBuf extendedRequest;
    private ByteBuf preparedResponse;
    private ByteBuf thousandRows;
    private ByteBuf queryBody;
    private InFlightQueue queue;
    private FrontendFrameReader reader;
    private BackendStreamScanner scanner;

    @Setup(Level.Trial)
    public void setUp() {
        preparedRequest = Unpooled.directBuffer();
        bind(preparedRequest, "", "P_0");
        execute(preparedRequest);
        sync(preparedRequest);

        extendedRequest = Unpooled.directBuffer();
        parse(extendedRequest, "", "SELECT abalance FROM pgbench_accounts WHERE aid = $1;");
        bind(extendedRequest, "", "");
        describePortal(extendedRequest);
        execute(extendedRequest);
        sync(extendedRequest);

        preparedResponse = Unpooled.directBuffer();
        message(preparedResponse, '2', Unpooled.EMPTY_BUFFER);
        dataRow(preparedResponse, "-2841");
        commandComplete(preparedResponse, "SELECT 1");
        preparedResponse.writeBytes(BackendMessages.readyForQuery(Unpooled.buffer().alloc(), (byte) 'I'));

        queryBody = Unpooled.buffer();
        WireStrings.writeCString(queryBody, "SELECT * FROM bench_rows LIMIT 1000");

        thousandRows = Unpooled.directBuffer();
        for (int i = 0; i < 1000; i++) {
            dataRow(thousandRows, Integer.toString(i), "a fairly ordinary text value", "2026-11-25 12:00:00+00", "42.00");
        }
        commandComplete(thousandRows, "SELECT 1000");
        thousandRows.writeBytes(BackendMessages.readyForQuery(Unpooled.buffer().alloc(), (byte) 'I'));
    }

    @Setup(Level.Iteration)
    public void newSession() {
        queue = new InFlightQueue(SessionStarter.MAX_IN_FLIGHT);
        reader = new FrontendFrameReader(16 * 1024 * 1024);
        scanner = new BackendStreamScanner((type, body, index, length) -> queue.onBackendMessage(type, body, index));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        preparedRequest.release();
        extendedRequest.release();
        preparedResponse.release();
        thousandRows.release();
        queryBody.release();
    }

    /** pgbench -M prepared: Bind/Execute/Sync in, BindComplete/DataRow/CommandComplete/ReadyForQuery out. */
    @Benchmark
    public void preparedRoundTrip(Blackhole blackhole) {
        roundTrip(preparedRequest, blackhole);
    }

    /** pgbench -M extended: Parse/Bind/Describe/Execute/Sync, the statement text decoded every time. */
    @Benchmark
    public void extendedRoundTrip(Blackhole blackhole) {
        roundTrip(extendedRequest, blackhole);
    }

    /** The rows-1000 workload's result (~70 kB) scanned for message boundaries. */
    @Benchmark
    public void scanThousandRows() {
        queue.onFrontendMessage((byte) 'Q', queryBody, 0, queryBody.readableBytes());
        scanner.scan(thousandRows.retainedDuplicate(), ByteBuf::release);
    }

    private void roundTrip(ByteBuf request, Blackhole blackhole) {
        reader.read(alloc, request.retainedDuplicate(), queue::onFrontendMessage, forwarded -> {
            blackhole.consume(forwarded.readableBytes());
            forwarded.release();
        });
        scanner.scan(preparedResponse.retainedDuplicate(), ByteBuf::release);
    }

    private static void parse(ByteBuf out, String name, String sql) {
        ByteBuf body = Unpooled.buffer();
        WireStrings.writeCString(body, name);
        WireStrings.writeCString(body, sql);
        body.writeShort(0);
        message(out, 'P', body);
    }

    private static void bind(ByteBuf out, String portal, String statement) {
        ByteBuf body = Unpooled.buffer();
        WireStrings.writeCString(body, portal);
        WireStrings.writeCString(body, statement);
        body.writeShort(0);
        body.writeShort(1);
        body.writeInt(5);
        body.writeBytes("12345".getBytes());
        body.writeShort(0);
        message(out, 'B', body);
    }

    private static void describePortal(ByteBuf out) {
        ByteBuf body = Unpooled.buffer();
        body.writeByte('P');
        WireStrings.writeCString(body, "");
        message(out, 'D', body);
    }

    private static void execute(ByteBuf out) {
        ByteBuf body = Unpooled.buffer();
        WireStrings.writeCString(body, "");
        body.writeInt(0);
        message(out, 'E', body);
    }

    private static void sync(ByteBuf out) {
        message(out, 'S', Unpooled.EMPTY_BUFFER);
    }

    private static void dataRow(ByteBuf out, String... values) {
        ByteBuf body = Unpooled.buffer();
        body.writeShort(values.length);
        for (String value : values) {
            byte[] bytes = value.getBytes();
            body.writeInt(bytes.length);
            body.writeBytes(bytes);
        }
        message(out, 'D', body);
    }

    private static void commandComplete(ByteBuf out, String tag) {
        ByteBuf body = Unpooled.buffer();
        WireStrings.writeCString(body, tag);
        message(out, 'C', body);
    }

    private static void message(ByteBuf out, char type, ByteBuf body) {
        out.writeByte(type);
        out.writeInt(4 + body.readableBytes());
        out.writeBytes(body);
    }
}
