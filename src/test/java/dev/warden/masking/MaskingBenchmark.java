package dev.warden.masking;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Masking one result of 100 rows x 10 text columns, 3 of them masked (hash, full, partial), with
 * every content detector scanning every value: the work the relay adds per result for a masked
 * identity. {@code detectorsOnly} has no column rules: every value is scanned, and the SSN- and
 * phone-shaped values are still found and cut out by the detectors. Run with {@code bench/jmh.sh MaskingBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MaskingBenchmark {
    private static final int ROWS = 100;
    private static final int COLUMNS = 10;

    private final List<byte[]> rows = new ArrayList<>();
    private SessionMasker masker;
    private MaskPlan threeMasked;
    private MaskPlan detectorsOnly;
    private final List<byte[]> benchRows = new ArrayList<>();
    private MaskPlan benchRowsPlan;

    @Setup(Level.Trial)
    public void setUp() {
        MaskingPolicy policy = new MaskingPolicy(List.of(), EnumSet.allOf(DetectorKind.class), List.of(),
                java.util.Set.of(), java.util.Optional.empty(), java.util.Set.of(), java.util.Set.of());
        masker = new SessionMasker(new MaskingPolicy(List.of(ColumnRule.whole("public", "t", "x", MaskStrategy.FULL)),
                policy.detectors(), List.of(), java.util.Set.of(), java.util.Optional.empty(), java.util.Set.of(),
                java.util.Set.of()), java.util.Set.of(), new MaskingKey("benchmark-key-0123456789"));
        List<ResultColumn> columns = new ArrayList<>();
        ColumnMasking[] masked = new ColumnMasking[COLUMNS];
        ColumnMasking[] scanned = new ColumnMasking[COLUMNS];
        for (int i = 0; i < COLUMNS; i++) {
            columns.add(new ResultColumn(0, 0, PgTypes.TEXT, false));
            scanned[i] = ColumnMasking.SCAN;
            masked[i] = ColumnMasking.SCAN;
        }
        masked[1] = new ColumnMasking(ColumnRule.whole("public", "customers", "email", MaskStrategy.HASH), List.of(), true);
        masked[4] = new ColumnMasking(ColumnRule.whole("public", "customers", "ssn", MaskStrategy.FULL), List.of(), true);
        masked[7] = new ColumnMasking(new ColumnRule("public", "customers", "phone", List.of(), MaskStrategy.PARTIAL, 4, 0),
                List.of(), true);
        threeMasked = MaskPlan.forTests(columns, masked);
        detectorsOnly = MaskPlan.forTests(columns, scanned);
        for (int r = 0; r < ROWS; r++) {
            rows.add(row(r));
        }
        // compare.sh's rows-1000: id, 'user N', 'userN@example.com', md5 and 40 x's; every e-mail is found.
        List<ResultColumn> benchColumns = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            benchColumns.add(new ResultColumn(0, 0, i == 0 ? PgTypes.INT4 : PgTypes.TEXT, false));
        }
        benchRowsPlan = MaskPlan.forTests(benchColumns,
                new ColumnMasking[] {ColumnMasking.SCAN, ColumnMasking.SCAN, ColumnMasking.SCAN, ColumnMasking.SCAN});
        for (int i = 1; i <= 1000; i++) {
            // md5(i::text), as compare.sh writes it.
            String md5 = HexFormat.of().formatHex(md5(Integer.toString(i)));
            benchRows.add(encode(new String[] {Integer.toString(i), "user " + i, "user" + i + "@example.com",
                    md5 + " " + "x".repeat(40)}));
        }
    }

    private static byte[] md5(String text) {
        try {
            return java.security.MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encode(String[] values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(values.length);
        for (String value : values) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    /** One result of compare.sh's rows-1000 workload under the sample policy's detectors. */
    @Benchmark
    public void rows1000DetectorsOnly(Blackhole sink) {
        for (byte[] row : benchRows) {
            sink.consume(masker.maskRow(benchRowsPlan, row, 0, row.length));
        }
    }

    /** Realistic values: ids, e-mail, names, addresses, SSN, dates, amounts, phones, free text. */
    private static byte[] row(int r) {
        return encode(new String[] {Integer.toString(r), "customer" + r + "@example.com", "Customer Number " + r,
                "12 Main Street, Springfield", "123-45-" + (1000 + r), "2024-01-" + (10 + r % 20) + " 10:30:00+00",
                Integer.toString(r * 37) + ".50", "+1 415-555-" + (1000 + r), "gold", "ordered twice, paid by transfer"});
    }

    @Benchmark
    public void threeMaskedColumnsAndDetectors(Blackhole sink) {
        for (byte[] row : rows) {
            sink.consume(masker.maskRow(threeMasked, row, 0, row.length));
        }
    }

    @Benchmark
    public void detectorsOnly(Blackhole sink) {
        for (byte[] row : rows) {
            sink.consume(masker.maskRow(detectorsOnly, row, 0, row.length));
        }
    }
}
