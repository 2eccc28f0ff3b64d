package dev.warden.recording;

import dev.warden.policy.Decision;
import dev.warden.recording.RecordBodies.Column;
import dev.warden.recording.RecordBodies.Format;
import dev.warden.recording.RecordBodies.Parameter;
import dev.warden.recording.RecordBodies.ProtocolPath;
import dev.warden.recording.RecordBodies.StatementError;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A short recorded session: a read with its result, a checkpoint, a denied write with parameters, the
 * end and a sealing checkpoint (records 1 to 9).
 */
public final class SampleSession {

    public static final String ID = "sess-1";
    public static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
    private static final long T0 = START.getEpochSecond() * 1_000_000;
    private static final String POLICY = "3f2a9c1b7d4e" + "0".repeat(52);

    /** What {@code warden replay} prints for {@link #records()}. */
    public static final String REPLAY = """
            Session sess-1
              identity  alice
              target    appdb
              client    10.0.0.5:51234
              app       psql
              started   2026-11-25 10:00:00.000000 UTC
              ended     2026-11-25 10:00:05.000000 UTC (client closed)

            [+0.000s] #1 session start: alice via scram-sha-256 (groups: dev, oncall) from 10.0.0.5:51234 with TLS to appdb, application psql
            [+0.010s] #2 statement (simple): allow by rule allow-reads, policy 3f2a9c1b7d4e
              intent: check order 42
              | /* intent: check order 42 */
              | SELECT id, email, total FROM orders
              | WHERE id = 42
            [+0.012s] #3 result
               id |      email       |  total
              ----+------------------+---------
               42 | a***@example.com |   19.99
                7 |                  | 1250.00
              (3 rows; only the first 2 recorded)
            [+0.013s] #4 completed SELECT 3 in 2.345 ms
            [+0.013s] #5 checkpoint up to record 4 (key k1)
            [+2.000s] #6 statement (extended): deny by rule no-unapproved-writes, policy 3f2a9c1b7d4e
              | UPDATE orders SET total = $1 WHERE id = $2
              $1 numeric = '0.00'
              $2 int4 = base64:AAAAKg==
            [+2.000s] #7 error 42501: permission denied by rule no-unapproved-writes (after 0.480 ms)
            [+5.000s] #8 session end: client closed
            [+5.000s] #9 checkpoint up to record 8 (key k1)
            """;

    private SampleSession() {}

    public static SessionInfo info(boolean ended) {
        return new SessionInfo(ID, "alice", "appdb", "10.0.0.5:51234", "psql", START,
                ended ? Optional.of(START.plusSeconds(5)) : Optional.empty(),
                ended ? Optional.of("client closed") : Optional.empty());
    }

    /** Records 1 to 4: start, a read, its result and completion. */
    public static ChainBuilder opening() {
        return new ChainBuilder(ID)
                .add(T0, RecordKind.SESSION_START,
                        RecordBodies.sessionStart("alice", "scram-sha-256", List.of("dev", "oncall"), "10.0.0.5:51234", true, "appdb", "psql"))
                .add(T0 + 10_000, RecordKind.STATEMENT, RecordBodies.statement(ProtocolPath.SIMPLE,
                        "/* intent: check order 42 */\nSELECT id, email, total FROM orders\nWHERE id = 42", List.of(),
                        Decision.allow("allow-reads", "reads are allowed", POLICY, List.of()), "check order 42", null))
                .add(T0 + 12_500, RecordKind.RESULT, RecordBodies.result(
                        List.of(new Column("id", 23, Format.TEXT), new Column("email", 25, Format.TEXT), new Column("total", 1700, Format.TEXT)),
                        List.of(List.of("42", "a***@example.com", "19.99"), Arrays.asList("7", null, "1250.00")), true, 3))
                .add(T0 + 13_000, RecordKind.COMPLETION, RecordBodies.completion("SELECT 3", 3L, 2_345, null));
    }

    /** Records 1 to 9, signed with {@link ChainBuilder#KEY}. */
    public static List<ChainedRecord> records() {
        return rest(opening().checkpoint(T0 + 13_000, ChainBuilder.KEY))
                .checkpoint(T0 + 5_000_000, ChainBuilder.KEY)
                .build();
    }

    /** Records 6 to 8 after the first checkpoint: a denied write, its error, the end. */
    public static ChainBuilder rest(ChainBuilder chain) {
        return chain
                .add(T0 + 2_000_000, RecordKind.STATEMENT, RecordBodies.statement(ProtocolPath.EXTENDED,
                        "UPDATE orders SET total = $1 WHERE id = $2",
                        List.of(Parameter.text(1700, "0.00"), Parameter.binary(23, new byte[] {0, 0, 0, 42})),
                        Decision.deny("no-unapproved-writes", "writes need approval", "ask an approver", POLICY), null, null))
                .add(T0 + 2_000_500, RecordKind.COMPLETION, RecordBodies.completion(null, null, 480,
                        new StatementError("42501", "permission denied by rule no-unapproved-writes")))
                .add(T0 + 5_000_000, RecordKind.SESSION_END, RecordBodies.sessionEnd("client closed"));
    }
}
