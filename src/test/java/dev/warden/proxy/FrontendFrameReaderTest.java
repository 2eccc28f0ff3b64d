package dev.warden.proxy;

import static dev.warden.testing.WireMessages.bind;
import static dev.warden.testing.WireMessages.concat;
import static dev.warden.testing.WireMessages.describe;
import static dev.warden.testing.WireMessages.execute;
import static dev.warden.testing.WireMessages.message;
import static dev.warden.testing.WireMessages.parse;
import static dev.warden.testing.WireMessages.query;
import static dev.warden.testing.WireMessages.sync;
import static dev.warden.testing.WireMessages.terminate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.testing.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrontendFrameReaderTest {
    private static final int LIMIT = 4096;

    /** What a pipelining driver sends: extended protocol ×3, a simple query, a big Bind, Terminate. */
    private static byte[] stream() {
        return concat(
                parse("S_1", "SELECT id, email FROM customers WHERE id = $1"), bind("", "S_1", "42"), describe('P', ""),
                execute("", 0), sync(),
                parse("", "UPDATE t SET x = $1"), bind("p1", "", "x".repeat(3000)), execute("p1", 10), sync(),
                bind("", "S_1", "7"), execute("", 0), sync(),
                query("SELECT 1; SELECT 2"),
                message('H', new byte[0]),
                terminate());
    }

    private record Seen(char type, String body) {}

    private static final class Run {
        final List<Seen> seen = new ArrayList<>();
        final ByteArrayOutputStream forwarded = new ByteArrayOutputStream();
    }

    private static Run feed(FrontendFrameReader reader, ByteBufAllocator alloc, byte[] data, int[] cuts) {
        Run run = new Run();
        int from = 0;
        for (int cut : cuts) {
            feedOne(reader, alloc, Arrays.copyOfRange(data, from, cut), run);
            from = cut;
        }
        feedOne(reader, alloc, Arrays.copyOfRange(data, from, data.length), run);
        return run;
    }

    private static void feedOne(FrontendFrameReader reader, ByteBufAllocator alloc, byte[] piece, Run run) {
        ByteBuf in = alloc.buffer(piece.length).writeBytes(piece);
        reader.read(alloc, in, (type, buf, bodyIndex, bodyLength) ->
                run.seen.add(new Seen((char) type, ByteBufUtil.hexDump(buf, bodyIndex, bodyLength))), complete -> {
                    run.forwarded.writeBytes(ByteBufUtil.getBytes(complete));
                    complete.release();
                });
    }

    @Test
    void oneByteAtATimeSeesAndForwardsWhatOneChunkDoes() {
        byte[] data = stream();
        TrackingAllocator alloc = new TrackingAllocator();
        Run whole = feed(new FrontendFrameReader(LIMIT), alloc, data, new int[0]);
        int[] everyByte = new int[data.length - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        FrontendFrameReader reader = new FrontendFrameReader(LIMIT);
        Run split = feed(reader, alloc, data, everyByte);

        assertThat(whole.seen).extracting(Seen::type)
                .containsExactly('P', 'B', 'D', 'E', 'S', 'P', 'B', 'E', 'S', 'B', 'E', 'S', 'Q', 'H', 'X');
        assertThat(whole.seen.get(12).body()).isEqualTo(ByteBufUtil.hexDump("SELECT 1; SELECT 2\0".getBytes(
                java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(whole.forwarded.toByteArray()).isEqualTo(data);
        assertThat(split.seen).isEqualTo(whole.seen);
        assertThat(split.forwarded.toByteArray()).isEqualTo(whole.forwarded.toByteArray());
        reader.release();
        assertThat(alloc.unreleased()).isEmpty();
    }

    @Test
    void randomSplitsSeeAndForwardWhatOneChunkDoes() {
        byte[] data = stream();
        TrackingAllocator alloc = new TrackingAllocator();
        Run whole = feed(new FrontendFrameReader(LIMIT), alloc, data, new int[0]);
        Random random = new Random(20240611L);
        for (int iteration = 0; iteration < 500; iteration++) {
            int[] cuts = randomCuts(random, data.length);
            FrontendFrameReader reader = new FrontendFrameReader(LIMIT);
            Run split = feed(reader, alloc, data, cuts);
            assertThat(split.seen).as("cuts %s", Arrays.toString(cuts)).isEqualTo(whole.seen);
            assertThat(split.forwarded.toByteArray()).isEqualTo(whole.forwarded.toByteArray());
            reader.release();
        }
        assertThat(alloc.unreleased()).isEmpty();
    }

    @Test
    void terminateIsSeenAndForwardedLikeAnyMessage() {
        // Terminate is a message like the others; the relay decides what to do with it.
        TrackingAllocator alloc = new TrackingAllocator();
        Run run = feed(new FrontendFrameReader(LIMIT), alloc, concat(sync(), terminate()), new int[0]);
        assertThat(run.seen).extracting(Seen::type).containsExactly('S', 'X');
        assertThat(run.forwarded.toByteArray()).isEqualTo(concat(sync(), terminate()));
        assertThat(alloc.unreleased()).isEmpty();
    }

    @Test
    void anIncompleteTailIsKeptUntilTheRestArrivesAndFreedOnRelease() {
        TrackingAllocator alloc = new TrackingAllocator();
        FrontendFrameReader reader = new FrontendFrameReader(LIMIT);
        byte[] q = query("SELECT 1");
        Run run = feed(reader, alloc, Arrays.copyOf(q, q.length - 1), new int[] {3});
        assertThat(run.seen).isEmpty();
        assertThat(run.forwarded.size()).isZero();
        assertThat(alloc.unreleased()).isNotEmpty();
        reader.release();
        assertThat(alloc.unreleased()).isEmpty();
    }

    @Test
    void aMessageOfExactlyTheLimitPasses() {
        TrackingAllocator alloc = new TrackingAllocator();
        byte[] atLimit = message('Q', new byte[LIMIT - 5]);
        Run run = feed(new FrontendFrameReader(LIMIT), alloc, atLimit, new int[] {5});
        assertThat(run.seen).hasSize(1);
        assertThat(run.forwarded.toByteArray()).isEqualTo(atLimit);
        assertThat(alloc.unreleased()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {LIMIT, LIMIT + 1, Integer.MAX_VALUE, 20_000})
    void aHeaderOverTheLimitIsRejectedBeforeTheBodyArrives(int length) {
        TrackingAllocator alloc = new TrackingAllocator();
        FrontendFrameReader reader = new FrontendFrameReader(LIMIT);
        // Only the header: the reader must refuse without waiting for (or buffering) the body.
        byte[] header = ByteBuffer.allocate(5).put((byte) 'Q').putInt(length).array();
        assertThatThrownBy(() -> feed(reader, alloc, concat(sync(), header), new int[0]))
                .isInstanceOfSatisfying(FrontendFrameReader.MessageTooLargeException.class, e -> {
                    assertThat(e.invalidLength()).isFalse();
                    assertThat(e.getMessage()).contains("'Q'").contains("limit of " + LIMIT + " bytes");
                });
        reader.release();
        assertThat(alloc.unreleased()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, -1, Integer.MIN_VALUE})
    void aLengthNoMessageCanHaveIsRejected(int length) {
        TrackingAllocator alloc = new TrackingAllocator();
        FrontendFrameReader reader = new FrontendFrameReader(LIMIT);
        byte[] header = ByteBuffer.allocate(5).put((byte) 'B').putInt(length).array();
        assertThatThrownBy(() -> feed(reader, alloc, header, new int[] {2}))
                .isInstanceOfSatisfying(FrontendFrameReader.MessageTooLargeException.class, e -> {
                    // A negative length must not be reported as "too large": it is malformed.
                    assertThat(e.invalidLength()).isTrue();
                    assertThat(e.getMessage()).contains("invalid message length " + length);
                });
        reader.release();
        assertThat(alloc.unreleased()).isEmpty();
    }

    @Test
    void replacedMessagesLeaveInPlaceOfTheOriginalWhateverTheSplits() {
        byte[] data = stream();
        byte[] standIn = query("WARDEN REFUSED THIS STATEMENT");
        // Replace every Execute and the Query: what the gateway does to statements it refuses.
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int index = 0; index < data.length; ) {
            int length = ByteBuffer.wrap(data, index + 1, 4).getInt();
            boolean replaced = data[index] == 'E' || data[index] == 'Q';
            if (replaced) {
                expected.writeBytes(standIn);
            } else {
                expected.write(data, index, 1 + length);
            }
            index += 1 + length;
        }
        Random random = new Random(91L);
        TrackingAllocator alloc = new TrackingAllocator();
        for (int iteration = 0; iteration < 500; iteration++) {
            int[] cuts = iteration == 0 ? new int[0] : randomCuts(random, data.length);
            FrontendFrameReader reader = new FrontendFrameReader(LIMIT);
            ByteArrayOutputStream forwarded = new ByteArrayOutputStream();
            List<Character> seen = new ArrayList<>();
            FrontendFrameReader.Listener listener = new FrontendFrameReader.Listener() {
                @Override
                public void onFrontendMessage(byte type, ByteBuf buf, int bodyIndex, int bodyLength) {
                    seen.add((char) type);
                }

                @Override
                public ByteBuf replacementFor(byte type, ByteBuf buf, int bodyIndex, int bodyLength) {
                    return type == 'E' || type == 'Q' ? alloc.buffer().writeBytes(standIn) : null;
                }
            };
            int from = 0;
            for (int i = 0; i <= cuts.length; i++) {
                int to = i < cuts.length ? cuts[i] : data.length;
                reader.read(alloc, alloc.buffer().writeBytes(data, from, to - from), listener, out -> {
                    forwarded.writeBytes(ByteBufUtil.getBytes(out));
                    out.release();
                });
                from = to;
            }
            reader.release();
            assertThat(forwarded.toByteArray()).as("cuts %s", Arrays.toString(cuts)).isEqualTo(expected.toByteArray());
            // The listener still sees the client's own messages, replaced or not.
            assertThat(seen).containsExactly('P', 'B', 'D', 'E', 'S', 'P', 'B', 'E', 'S', 'B', 'E', 'S', 'Q', 'H', 'X');
        }
        assertThat(alloc.unreleased()).isEmpty();
    }

    static int[] randomCuts(Random random, int length) {
        int count = random.nextInt(Math.min(length - 1, 40)) + 1;
        return random.ints(count, 1, length).distinct().sorted().toArray();
    }
}
