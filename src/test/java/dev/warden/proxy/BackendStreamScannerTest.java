package dev.warden.proxy;

import static dev.warden.testing.WireMessages.bindComplete;
import static dev.warden.testing.WireMessages.commandComplete;
import static dev.warden.testing.WireMessages.concat;
import static dev.warden.testing.WireMessages.dataRow;
import static dev.warden.testing.WireMessages.errorResponse;
import static dev.warden.testing.WireMessages.noticeResponse;
import static dev.warden.testing.WireMessages.parameterStatus;
import static dev.warden.testing.WireMessages.parseComplete;
import static dev.warden.testing.WireMessages.readyForQuery;
import static dev.warden.testing.WireMessages.rowDescription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.protocol.pg.BackendMessages;
import dev.warden.protocol.pg.PgError;
import dev.warden.protocol.pg.ProtocolException;
import dev.warden.protocol.pg.SqlState;
import dev.warden.testing.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackendStreamScannerTest {

    /** A server answering a three-statement pipeline, a big row, an error and status changes. */
    private static byte[] stream() {
        ByteBuf ownMessage = BackendMessages.readyForQuery(UnpooledByteBufAllocator.DEFAULT, (byte) 'I');
        byte[] readyIdle = ByteBufUtil.getBytes(ownMessage);
        ownMessage.release();
        ByteBuf error = BackendMessages.errorResponse(UnpooledByteBufAllocator.DEFAULT,
                PgError.error(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied for table t", null));
        byte[] errorBytes = ByteBufUtil.getBytes(error);
        error.release();
        return concat(
                parameterStatus("application_name", "psql"),
                parseComplete(), bindComplete(), rowDescription("id", "email"),
                dataRow("1", "a@example.com"), dataRow("2", null), dataRow("3", "x".repeat(5000)),
                commandComplete("SELECT 3"), readyForQuery('T'),
                noticeResponse("there is no transaction in progress"),
                parseComplete(), bindComplete(), errorBytes, readyForQuery('E'),
                errorResponse("42P01", "relation \"nope\" does not exist"), readyIdle,
                commandComplete("COMMIT"), readyForQuery('I'));
    }

    private static final List<String> EXPECTED = List.of(
            "S", "1", "2", "T", "D", "D", "D", "C", "Z:T", "N", "1", "2", "E", "Z:E", "E", "Z:I", "C", "Z:I");

    private static List<String> scan(TrackingAllocator alloc, byte[] data, int[] cuts) {
        List<String> seen = new ArrayList<>();
        BackendStreamScanner scanner = new BackendStreamScanner((type, body, bodyIndex) -> {
            if (BackendStreamScanner.wantsBody(type)) {
                assertThat(body).as("body of %s", (char) type).isNotNull();
                seen.add((char) type + ":" + (char) body.getByte(bodyIndex));
            } else {
                assertThat(body).isNull();
                seen.add(String.valueOf((char) type));
            }
        });
        ByteArrayOutputStream forwarded = new ByteArrayOutputStream();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : data.length;
            ByteBuf chunk = alloc.buffer(to - from).writeBytes(data, from, to - from);
            scanner.scan(chunk);
            // The relay forwards the chunk itself: the scanner must neither move nor keep it.
            assertThat(chunk.readerIndex()).isZero();
            assertThat(chunk.refCnt()).isEqualTo(1);
            forwarded.writeBytes(ByteBufUtil.getBytes(chunk));
            chunk.release();
            from = to;
        }
        scanner.release();
        assertThat(forwarded.toByteArray()).isEqualTo(data);
        return seen;
    }

    @Test
    void oneChunk() {
        TrackingAllocator alloc = new TrackingAllocator();
        assertThat(scan(alloc, stream(), new int[0])).isEqualTo(EXPECTED);
        assertThat(alloc.unreleased()).isEmpty();
    }

    @Test
    void oneByteAtATime() {
        byte[] data = stream();
        int[] cuts = new int[data.length - 1];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        TrackingAllocator alloc = new TrackingAllocator();
        assertThat(scan(alloc, data, cuts)).isEqualTo(EXPECTED);
        assertThat(alloc.unreleased()).isEmpty();
    }

    @Test
    void randomSplits() {
        byte[] data = stream();
        Random random = new Random(77L);
        TrackingAllocator alloc = new TrackingAllocator();
        for (int iteration = 0; iteration < 1000; iteration++) {
            int[] cuts = FrontendFrameReaderTest.randomCuts(random, data.length);
            assertThat(scan(alloc, data, cuts)).as("cuts %s", Arrays.toString(cuts)).isEqualTo(EXPECTED);
        }
        assertThat(alloc.unreleased()).isEmpty();
    }

    @Test
    void aReadyForQuerySplitInsideItsBodyIsGatheredAndTheSideBufferFreed() {
        byte[] data = concat(commandComplete("SELECT 1"), readyForQuery('T'));
        TrackingAllocator alloc = new TrackingAllocator();
        // Cut between the Z header and its status byte.
        assertThat(scan(alloc, data, new int[] {data.length - 1})).containsExactly("C", "Z:T");
        assertThat(alloc.unreleased()).isEmpty();
    }

    @Test
    void aConnectionEndingInsideAGatheredBodyFreesIt() {
        TrackingAllocator alloc = new TrackingAllocator();
        BackendStreamScanner scanner = new BackendStreamScanner((type, body, bodyIndex) -> {});
        // A ReadyForQuery whose header promises more body than ever arrives.
        ByteBuf chunk = alloc.buffer().writeBytes(ByteBuffer.allocate(6).put((byte) 'Z').putInt(9).put((byte) 'I').array());
        scanner.scan(chunk);
        chunk.release();
        scanner.release();
        assertThat(alloc.unreleased()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, -1, Integer.MIN_VALUE, 0x4000_0000, Integer.MAX_VALUE})
    void invalidLengthsAreAProtocolErrorWholeOrSplit(int length) {
        byte[] header = ByteBuffer.allocate(5).put((byte) 'D').putInt(length).array();
        for (int[] cuts : new int[][] {{}, {1}, {3}, {1, 2, 3, 4}}) {
            TrackingAllocator alloc = new TrackingAllocator();
            BackendStreamScanner scanner = new BackendStreamScanner((type, body, bodyIndex) -> {});
            ByteBuf prefix = alloc.buffer().writeBytes(commandComplete("SELECT 1"));
            scanner.scan(prefix);
            prefix.release();
            assertThatThrownBy(() -> {
                int from = 0;
                for (int i = 0; i <= cuts.length; i++) {
                    int to = i < cuts.length ? cuts[i] : header.length;
                    ByteBuf chunk = alloc.buffer().writeBytes(header, from, to - from);
                    try {
                        scanner.scan(chunk);
                    } finally {
                        chunk.release();
                    }
                    from = to;
                }
            }).isInstanceOf(ProtocolException.class).hasMessageContaining("invalid length " + length);
            scanner.release();
            assertThat(alloc.unreleased()).isEmpty();
        }
    }
}
