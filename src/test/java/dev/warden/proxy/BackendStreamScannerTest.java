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
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
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
        byte[] forwarded = scan(alloc, data, cuts, seen, type -> null);
        assertThat(forwarded).isEqualTo(data);
        return seen;
    }

    /** Scans {@code data} cut at {@code cuts}; returns what would reach the client. */
    private static byte[] scan(TrackingAllocator alloc, byte[] data, int[] cuts, List<String> seen,
            Function<Byte, byte[]> replacements) {
        BackendStreamScanner scanner = new BackendStreamScanner(new BackendStreamScanner.Listener() {
            @Override
            public void onBackendMessage(byte type, ByteBuf body, int bodyIndex, int bodyLength) {
                if (BackendStreamScanner.wantsBody(type)) {
                    assertThat(body).as("body of %s", (char) type).isNotNull();
                    seen.add((char) type + ":" + (char) body.getByte(bodyIndex));
                } else {
                    assertThat(body).isNull();
                    seen.add(String.valueOf((char) type));
                }
            }

            @Override
            public ByteBuf replacementFor(byte type) {
                byte[] replacement = replacements.apply(type);
                return replacement == null ? null : alloc.buffer().writeBytes(replacement);
            }
        });
        return feed(scanner, alloc, data, cuts);
    }

    /** Feeds {@code data} cut at {@code cuts} through the scanner; returns what would reach the client. */
    private static byte[] feed(BackendStreamScanner scanner, TrackingAllocator alloc, byte[] data, int[] cuts) {
        ByteArrayOutputStream forwarded = new ByteArrayOutputStream();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : data.length;
            ByteBuf chunk = alloc.buffer(to - from).writeBytes(data, from, to - from);
            // Ownership of the chunk passes to the scanner; what it emits is ours to write and release.
            scanner.scan(chunk, out -> {
                forwarded.writeBytes(ByteBufUtil.getBytes(out));
                out.release();
            });
            from = to;
        }
        scanner.release();
        return forwarded.toByteArray();
    }

    private static final byte[] REPLACEMENT = errorResponse("42501", "Access denied by rule no-drop");

    /** The stream as the client must see it when every ErrorResponse is replaced. */
    private static byte[] streamWithErrorsReplaced() {
        byte[] original = stream();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        int index = 0;
        while (index < original.length) {
            int length = ByteBuffer.wrap(original, index + 1, 4).getInt();
            if (original[index] == 'E') {
                expected.writeBytes(REPLACEMENT);
            } else {
                expected.write(original, index, 1 + length);
            }
            index += 1 + length;
        }
        return expected.toByteArray();
    }

    @Test
    void replacedMessagesAreCutOutWhateverTheSplits() {
        byte[] data = stream();
        byte[] expected = streamWithErrorsReplaced();
        Random random = new Random(78L);
        TrackingAllocator alloc = new TrackingAllocator();
        int[] oneByte = new int[data.length - 1];
        for (int i = 0; i < oneByte.length; i++) {
            oneByte[i] = i + 1;
        }
        List<int[]> splits = new ArrayList<>();
        splits.add(new int[0]);
        splits.add(oneByte);
        for (int iteration = 0; iteration < 1000; iteration++) {
            splits.add(FrontendFrameReaderTest.randomCuts(random, data.length));
        }
        for (int[] cuts : splits) {
            List<String> seen = new ArrayList<>();
            byte[] forwarded = scan(alloc, data, cuts, seen, type -> type == 'E' ? REPLACEMENT : null);
            assertThat(forwarded).as("cuts %s", Arrays.toString(cuts)).isEqualTo(expected);
            // The in-flight queue still sees the server's own messages, replaced or not.
            assertThat(seen).isEqualTo(EXPECTED);
        }
        assertThat(alloc.unreleased()).isEmpty();
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
        BackendStreamScanner scanner = new BackendStreamScanner((type, body, bodyIndex, bodyLength) -> {});
        // A ReadyForQuery whose header promises more body than ever arrives.
        ByteBuf chunk = alloc.buffer().writeBytes(ByteBuffer.allocate(6).put((byte) 'Z').putInt(9).put((byte) 'I').array());
        scanner.scan(chunk, ByteBuf::release);
        scanner.release();
        assertThat(alloc.unreleased()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, -1, Integer.MIN_VALUE, 0x4000_0000, Integer.MAX_VALUE})
    void invalidLengthsAreAProtocolErrorWholeOrSplit(int length) {
        byte[] header = ByteBuffer.allocate(5).put((byte) 'D').putInt(length).array();
        for (int[] cuts : new int[][] {{}, {1}, {3}, {1, 2, 3, 4}}) {
            TrackingAllocator alloc = new TrackingAllocator();
            BackendStreamScanner scanner = new BackendStreamScanner((type, body, bodyIndex, bodyLength) -> {});
            ByteBuf prefix = alloc.buffer().writeBytes(commandComplete("SELECT 1"));
            scanner.scan(prefix, ByteBuf::release);
            assertThatThrownBy(() -> {
                int from = 0;
                for (int i = 0; i <= cuts.length; i++) {
                    int to = i < cuts.length ? cuts[i] : header.length;
                    ByteBuf chunk = alloc.buffer().writeBytes(header, from, to - from);
                    scanner.scan(chunk, ByteBuf::release);
                    from = to;
                }
            }).isInstanceOf(ProtocolException.class).hasMessageContaining("invalid length " + length);
            scanner.release();
            assertThat(alloc.unreleased()).isEmpty();
        }
    }

    /**
     * Masking holds DataRows and notices whole and may rewrite them: whatever the splits, the client
     * gets every rewritten message in place of its original, unchanged held messages byte for byte,
     * the listener sees the bodies that were sent, and no buffer leaks.
     */
    @Test
    void heldMessagesAreRewrittenOrKeptWhateverTheSplits() {
        byte[] data = stream();
        byte[] masked = dataRow("1", "****");
        byte[] expected = streamWithRowsRewritten(data, masked);
        Random random = new Random(79L);
        TrackingAllocator alloc = new TrackingAllocator();
        List<int[]> splits = new ArrayList<>();
        splits.add(new int[0]);
        int[] oneByte = new int[data.length - 1];
        for (int i = 0; i < oneByte.length; i++) {
            oneByte[i] = i + 1;
        }
        splits.add(oneByte);
        for (int iteration = 0; iteration < 1000; iteration++) {
            splits.add(FrontendFrameReaderTest.randomCuts(random, data.length));
        }
        for (int[] cuts : splits) {
            List<String> seenRows = new ArrayList<>();
            BackendStreamScanner scanner = new BackendStreamScanner(new BackendStreamScanner.Listener() {
                @Override
                public void onBackendMessage(byte type, ByteBuf body, int bodyIndex, int bodyLength) {
                    if (type == 'D') {
                        seenRows.add(body.toString(bodyIndex, bodyLength, java.nio.charset.StandardCharsets.ISO_8859_1));
                    }
                }

                @Override
                public boolean wantsBody(byte type, int bodyLength) {
                    return type == 'Z';
                }

                @Override
                public boolean holdsForRewrite(byte type, int bodyLength) {
                    return type == 'D' || type == 'N';
                }

                @Override
                public ByteBuf rewrite(byte type, ByteBuf body, int bodyIndex, int bodyLength) {
                    // Rewrites the row holding an e-mail address; leaves the others and the notice alone.
                    boolean email = body.toString(bodyIndex, bodyLength, java.nio.charset.StandardCharsets.ISO_8859_1)
                            .contains("@");
                    return type == 'D' && email ? alloc.buffer().writeBytes(masked) : null;
                }
            });
            assertThat(feed(scanner, alloc, data, cuts)).as("cuts %s", Arrays.toString(cuts)).isEqualTo(expected);
            assertThat(seenRows).hasSize(3);
            assertThat(seenRows.get(0)).contains("****").doesNotContain("@");
        }
        assertThat(alloc.unreleased()).isEmpty();
    }

    /**
     * A masked result replaces most rows: small replacements and the short stretches between them
     * are gathered into one buffer, large ones and long unchanged stretches go on their own. Whatever
     * the sizes and splits, the client gets the same bytes in the same order and nothing leaks.
     */
    @Test
    void manyRewrittenRowsOfEverySizeArriveInOrderWhateverTheSplits() {
        Random random = new Random(1234L);
        List<byte[]> rows = new ArrayList<>();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        int large = 0;
        for (int i = 0; i < 300; i++) {
            boolean big = random.nextInt(4) == 0;
            large += big ? 1 : 0;
            int size = big ? 1100 + random.nextInt(3000) : 5 + random.nextInt(120);
            boolean email = random.nextInt(5) > 0;
            String value = "v".repeat(size) + (email ? "@" : "");
            rows.add(dataRow(Integer.toString(i), value));
            expected.writeBytes(dataRow(Integer.toString(i), value.replace('@', '*')));
        }
        byte[] data = concat(rows.toArray(new byte[0][]));
        TrackingAllocator alloc = new TrackingAllocator();
        byte[] shared = new byte[BackendStreamScanner.COPIED_REPLACEMENT_LIMIT];
        for (int iteration = 0; iteration < 200; iteration++) {
            int[] cuts = iteration == 0 ? new int[0] : FrontendFrameReaderTest.randomCuts(random, data.length);
            BackendStreamScanner scanner = new BackendStreamScanner(new BackendStreamScanner.Listener() {
                @Override
                public void onBackendMessage(byte type, ByteBuf body, int bodyIndex, int bodyLength) {
                }

                @Override
                public boolean wantsBody(byte type, int bodyLength) {
                    return false;
                }

                @Override
                public boolean holdsForRewrite(byte type, int bodyLength) {
                    return type == 'D';
                }

                @Override
                public ByteBuf rewrite(byte type, ByteBuf body, int bodyIndex, int bodyLength) {
                    // The "@" ends the row's last value: only that byte changes (a length may hold 0x40 too).
                    if (body.getByte(bodyIndex + bodyLength - 1) != '@') {
                        return null;
                    }
                    // As masking does: every replacement the scanner copies at once is built in the same
                    // array, so a replacement handed on instead of copied would come out overwritten.
                    ByteBuf message = 5 + bodyLength <= BackendStreamScanner.COPIED_REPLACEMENT_LIMIT
                            ? Unpooled.wrappedBuffer(shared).clear() : alloc.buffer(5 + bodyLength);
                    message.writeByte('D').writeInt(4 + bodyLength);
                    message.writeBytes(body, bodyIndex, bodyLength - 1);
                    return message.writeByte('*');
                }
            });
            if (iteration == 0) {
                // One chunk: each large row goes alone, the small ones (rewritten or not) between two
                // large ones as one buffer: not a write per row.
                List<Integer> writes = new ArrayList<>();
                scanner.scan(alloc.buffer(data.length).writeBytes(data), out -> {
                    writes.add(out.readableBytes());
                    out.release();
                });
                scanner.release();
                assertThat(writes.size()).isLessThanOrEqualTo(2 * large + 1);
                continue;
            }
            assertThat(feed(scanner, alloc, data, cuts)).as("cuts %s", Arrays.toString(cuts))
                    .isEqualTo(expected.toByteArray());
        }
        assertThat(alloc.unreleased()).isEmpty();
    }

    private static byte[] streamWithRowsRewritten(byte[] original, byte[] masked) {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        int index = 0;
        while (index < original.length) {
            int length = ByteBuffer.wrap(original, index + 1, 4).getInt();
            String message = new String(original, index, 1 + length, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (original[index] == 'D' && message.contains("@")) {
                expected.writeBytes(masked);
            } else {
                expected.write(original, index, 1 + length);
            }
            index += 1 + length;
        }
        return expected.toByteArray();
    }
}
