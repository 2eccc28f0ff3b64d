package dev.warden.proxy;

import static dev.warden.testing.WireMessages.bind;
import static dev.warden.testing.WireMessages.bindComplete;
import static dev.warden.testing.WireMessages.close;
import static dev.warden.testing.WireMessages.closeComplete;
import static dev.warden.testing.WireMessages.commandComplete;
import static dev.warden.testing.WireMessages.concat;
import static dev.warden.testing.WireMessages.dataRow;
import static dev.warden.testing.WireMessages.describe;
import static dev.warden.testing.WireMessages.errorResponse;
import static dev.warden.testing.WireMessages.execute;
import static dev.warden.testing.WireMessages.noData;
import static dev.warden.testing.WireMessages.parameterDescription;
import static dev.warden.testing.WireMessages.parse;
import static dev.warden.testing.WireMessages.parseComplete;
import static dev.warden.testing.WireMessages.portalSuspended;
import static dev.warden.testing.WireMessages.query;
import static dev.warden.testing.WireMessages.readyForQuery;
import static dev.warden.testing.WireMessages.rowDescription;
import static dev.warden.testing.WireMessages.sync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.protocol.pg.BackendType;
import dev.warden.protocol.pg.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InFlightQueueTest {
    private static final String Q1 = "SELECT id FROM a";
    private static final String Q2 = "SELECT id FROM b WHERE x = $1";
    private static final String Q3 = "UPDATE c SET y = 1";

    /** What finished, as the later stages will see it: SQL and rows, taken from the head at completion. */
    private record Finished(InFlightOperation.Kind kind, String sql, long rows) {}

    private final InFlightQueue queue = new InFlightQueue(1000);
    private final List<Finished> finished = new ArrayList<>();

    private void client(byte[]... messages) {
        ByteBuf buf = Unpooled.wrappedBuffer(concat(messages));
        try {
            while (buf.isReadable()) {
                byte type = buf.readByte();
                int length = buf.readInt();
                queue.onFrontendMessage(type, buf, buf.readerIndex(), length - 4);
                buf.skipBytes(length - 4);
            }
        } finally {
            buf.release();
        }
    }

    private void server(byte[]... messages) {
        ByteBuf buf = Unpooled.wrappedBuffer(concat(messages));
        try {
            while (buf.isReadable()) {
                byte type = buf.readByte();
                int length = buf.readInt();
                InFlightOperation head = queue.head();
                if ((type == BackendType.COMMAND_COMPLETE || type == BackendType.PORTAL_SUSPENDED) && head != null) {
                    finished.add(new Finished(head.kind(), head.sql(), head.rows()));
                }
                queue.onBackendMessage(type, type == BackendType.READY_FOR_QUERY ? buf : null, buf.readerIndex());
                buf.skipBytes(length - 4);
            }
        } finally {
            buf.release();
        }
    }

    @Test
    void completionsReachTheOperationTheyBelongToOncePerCompletedStatement() {
        List<String> completed = new ArrayList<>();
        client(query("SELECT 1; SELECT 2; SELECT 3"));
        queue.applyToLast(StatementGate.Verdict.allow(() -> completed.add("query")));
        client(parse("", Q1), bind("", ""), execute("", 0));
        queue.applyToLast(StatementGate.Verdict.allow(() -> completed.add("execute")));
        client(sync());

        // The second statement of the query fails: only the first one completed.
        server(rowDescription("?column?"), dataRow("1"), commandComplete("SELECT 1"),
                errorResponse("22012", "division by zero"), readyForQuery('I'));
        assertThat(completed).containsExactly("query");
        server(parseComplete(), bindComplete(), dataRow("1"), commandComplete("SELECT 1"), readyForQuery('I'));
        assertThat(completed).containsExactly("query", "execute");
        assertThat(queue.size()).isZero();
    }

    @Test
    void pipelinedExtendedQueriesTieRowsToTheirOwnStatement() {
        client(parse("", Q1), bind("", ""), describe('P', ""), execute("", 0), sync(),
                parse("", Q2), bind("", "", "5"), describe('P', ""), execute("", 0), sync(),
                parse("", Q3), bind("", ""), describe('P', ""), execute("", 0), sync());
        assertThat(queue.size()).isEqualTo(15);
        server(parseComplete(), bindComplete(), rowDescription("id"), dataRow("1"), dataRow("2"), commandComplete("SELECT 2"),
                readyForQuery('I'));
        assertThat(queue.size()).isEqualTo(10);
        assertThat(queue.head().kind()).isEqualTo(InFlightOperation.Kind.PARSE);
        assertThat(queue.head().sql()).isEqualTo(Q2);
        server(parseComplete(), bindComplete(), rowDescription("id"), dataRow("7"), dataRow("8"), dataRow("9"),
                commandComplete("SELECT 3"), readyForQuery('I'),
                parseComplete(), bindComplete(), noData(), commandComplete("UPDATE 4"), readyForQuery('I'));

        assertThat(finished).containsExactly(
                new Finished(InFlightOperation.Kind.EXECUTE, Q1, 2),
                new Finished(InFlightOperation.Kind.EXECUTE, Q2, 3),
                new Finished(InFlightOperation.Kind.EXECUTE, Q3, 0));
        assertThat(queue.size()).isZero();
        assertThat(queue.isIdle()).isTrue();
    }

    @Test
    void anErrorInTheMiddleOfAPipelineDiscardsUpToSyncAndTheRestStaysAligned() {
        client(parse("", Q1), bind("", ""), execute("", 0), sync(),
                parse("", "SELEC broken"), bind("", ""), execute("", 0), sync(),
                parse("", Q3), bind("", ""), execute("", 0), sync());
        server(parseComplete(), bindComplete(), dataRow("1"), commandComplete("SELECT 1"), readyForQuery('I'));
        // The server refuses the Parse and skips Bind and Execute until Sync.
        server(errorResponse("42601", "syntax error at or near \"SELEC\""));
        assertThat(queue.head().kind()).isEqualTo(InFlightOperation.Kind.SYNC);
        server(readyForQuery('I'));
        assertThat(queue.head().kind()).isEqualTo(InFlightOperation.Kind.PARSE);
        assertThat(queue.head().sql()).isEqualTo(Q3);
        server(parseComplete(), bindComplete(), commandComplete("UPDATE 2"), readyForQuery('I'));
        assertThat(finished).containsExactly(
                new Finished(InFlightOperation.Kind.EXECUTE, Q1, 1),
                new Finished(InFlightOperation.Kind.EXECUTE, Q3, 0));
        assertThat(queue.size()).isZero();
    }

    @Test
    void anErrorDuringExecuteAfterSomeRowsDiscardsUpToSync() {
        client(parse("", Q1), bind("", ""), execute("", 0), sync(), parse("", Q2), bind("", ""), execute("", 0), sync());
        server(parseComplete(), bindComplete(), dataRow("1"), errorResponse("22012", "division by zero"));
        assertThat(queue.head().kind()).isEqualTo(InFlightOperation.Kind.SYNC);
        server(readyForQuery('E'));
        assertThat(queue.transactionStatus()).isEqualTo((byte) 'E');
        server(parseComplete(), bindComplete(), dataRow("1"), commandComplete("SELECT 1"), readyForQuery('I'));
        assertThat(finished).containsExactly(new Finished(InFlightOperation.Kind.EXECUTE, Q2, 1));
    }

    @Test
    void aSimpleQueryWithSeveralStatementsEndsOnlyAtReadyForQuery() {
        String sql = "SELECT 1; SELECT g FROM generate_series(1, 2) g; ";
        client(query(sql));
        server(rowDescription("?column?"), dataRow("1"), commandComplete("SELECT 1"));
        assertThat(queue.head().kind()).isEqualTo(InFlightOperation.Kind.SIMPLE_QUERY);
        assertThat(queue.head().sql()).isEqualTo(sql);
        server(rowDescription("g"), dataRow("1"), dataRow("2"), commandComplete("SELECT 2"));
        assertThat(queue.head().rows()).isEqualTo(3);
        assertThat(queue.head().described()).isTrue();
        server(readyForQuery('I'));
        assertThat(queue.size()).isZero();
    }

    @Test
    void anErrorInASimpleQueryWaitsForReadyForQuery() {
        client(query("SELECT 1/0; SELECT 2"), query("SELECT 3"));
        server(errorResponse("22012", "division by zero"));
        assertThat(queue.head().sql()).isEqualTo("SELECT 1/0; SELECT 2");
        server(readyForQuery('I'));
        assertThat(queue.head().sql()).isEqualTo("SELECT 3");
    }

    @Test
    void aNamedStatementParsedInAnEarlierSyncIsKnownWhenBoundLater() {
        client(parse("S_1", Q2), describe('S', "S_1"), sync());
        server(parseComplete(), parameterDescription(23), rowDescription("id"), readyForQuery('I'));
        assertThat(queue.size()).isZero();

        client(bind("", "S_1", "1"), execute("", 0), sync());
        assertThat(queue.head().kind()).isEqualTo(InFlightOperation.Kind.BIND);
        assertThat(queue.head().sql()).isEqualTo(Q2);
        server(bindComplete(), dataRow("1"), commandComplete("SELECT 1"), readyForQuery('I'));
        client(bind("", "S_1", "2"), execute("", 0), sync());
        server(bindComplete(), dataRow("2"), dataRow("3"), commandComplete("SELECT 2"), readyForQuery('I'));
        assertThat(finished).containsExactly(
                new Finished(InFlightOperation.Kind.EXECUTE, Q2, 1),
                new Finished(InFlightOperation.Kind.EXECUTE, Q2, 2));
    }

    @Test
    void aNamedPortalWithARowLimitKeepsItsStatementAcrossSuspensions() {
        client(parse("S_2", Q1), bind("C_1", "S_2"), execute("C_1", 2), sync());
        server(parseComplete(), bindComplete(), dataRow("1"), dataRow("2"), portalSuspended(), readyForQuery('T'));
        client(execute("C_1", 2), sync());
        server(dataRow("3"), commandComplete("SELECT 1"), readyForQuery('T'));
        assertThat(finished).containsExactly(
                new Finished(InFlightOperation.Kind.EXECUTE, Q1, 2),
                new Finished(InFlightOperation.Kind.EXECUTE, Q1, 1));
    }

    @Test
    void closeForgetsTheStatementAndThePortal() {
        client(parse("S_1", Q1), bind("P_1", "S_1"), sync());
        server(parseComplete(), bindComplete(), readyForQuery('T'));
        client(close('S', "S_1"), close('P', "P_1"), sync());
        assertThat(queue.head().kind()).isEqualTo(InFlightOperation.Kind.CLOSE_STATEMENT);
        assertThat(queue.head().sql()).isEqualTo(Q1);
        server(closeComplete(), closeComplete(), readyForQuery('T'));
        assertThat(queue.size()).isZero();

        // Neither name means anything any more: the server would answer these with an error.
        client(bind("", "S_1"), execute("P_1", 0), sync());
        assertThat(queue.head().sql()).isNull();
    }

    @Test
    void theQueueIsBounded() {
        InFlightQueue small = new InFlightQueue(3);
        ByteBuf s = Unpooled.wrappedBuffer(sync());
        try {
            for (int i = 0; i < 3; i++) {
                small.onFrontendMessage((byte) 'S', s, 5, 0);
            }
            assertThatThrownBy(() -> small.onFrontendMessage((byte) 'S', s, 5, 0))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("more than 3 pipelined messages");
        } finally {
            s.release();
        }
    }

    @Test
    void aDescribeWithAnInvalidTargetIsAProtocolError() {
        assertThatThrownBy(() -> client(describe('X', "S_1"))).isInstanceOf(ProtocolException.class);
    }
}
