package io.vivace.ingester.wal;

import io.vivace.common.ingest.IngestBatch;
import io.vivace.common.ingest.TraceFragment;
import io.vivace.common.model.TraceId;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IngestBatchCodecTest {

    @Test
    void roundTripsEveryField() {
        IngestBatch batch = new IngestBatch("tenant-ü-1", List.of(
                new TraceFragment(new TraceId(0x0102030405060708L, -1L), new byte[]{1, 2, 3}, 3,
                        1_700_000_000_000_000_000L, 1_700_000_000_500_000_000L),
                new TraceFragment(new TraceId(0, 0), new byte[0], 0, 0, 0),
                new TraceFragment(new TraceId(Long.MIN_VALUE, 42), bytes(70_000, 7), Integer.MAX_VALUE, -5,
                        Long.MAX_VALUE)),
                -1, Long.MAX_VALUE);

        assertSameBatch(batch, IngestBatchCodec.decode(IngestBatchCodec.encode(batch)));
    }

    @Test
    void partsHandOverTheFragmentBytesUncopiedAndJoinToTheEncoding() {
        IngestBatch batch = sampleBatch();
        byte[][] parts = IngestBatchCodec.encodeParts(batch);

        for (TraceFragment f : batch.fragments()) {
            assertTrue(Arrays.stream(parts).anyMatch(part -> part == f.tracesData()), "fragment " + f.traceId() + " copied");
        }
        java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            joined.writeBytes(part);
        }
        assertSameBatch(batch, IngestBatchCodec.decode(joined.toByteArray()));
    }

    @Test
    void roundTripsAnEmptyBatch() {
        IngestBatch batch = new IngestBatch("", List.of(), 0, 0);
        byte[] encoded = IngestBatchCodec.encode(batch);

        assertSameBatch(batch, IngestBatchCodec.decode(encoded));
        assertEquals(5, encoded.length, "version, tenant length, span count, byte size, fragment count");
    }

    @Test
    void rejectsEveryTruncation() {
        byte[] encoded = IngestBatchCodec.encode(sampleBatch());
        for (int length = 0; length < encoded.length; length++) {
            byte[] cut = Arrays.copyOf(encoded, length);
            assertThrows(MalformedBatchException.class, () -> IngestBatchCodec.decode(cut), "cut at " + length);
        }
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] encoded = IngestBatchCodec.encode(sampleBatch());
        byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);

        var e = assertThrows(MalformedBatchException.class, () -> IngestBatchCodec.decode(longer));
        assertTrue(e.getMessage().contains("unexpected bytes"), e.getMessage());
    }

    @Test
    void rejectsAnUnknownVersion() {
        byte[] encoded = IngestBatchCodec.encode(sampleBatch());
        encoded[0] = 99;

        var e = assertThrows(MalformedBatchException.class, () -> IngestBatchCodec.decode(encoded));
        assertTrue(e.getMessage().contains("version 99"), e.getMessage());
    }

    @Test
    void rejectsHugeLengthsAndCountsWithoutAllocatingThem() {
        byte[] hugeTenant = {1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 'a'};
        var e = assertThrows(MalformedBatchException.class, () -> IngestBatchCodec.decode(hugeTenant));
        assertTrue(e.getMessage().contains("tenant length 2147483647 exceeds the 1 bytes left"), e.getMessage());

        // version, empty tenant, spans 0, size 0, then a fragment count of 2^31 - 1
        byte[] hugeCount = {1, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07};
        e = assertThrows(MalformedBatchException.class, () -> IngestBatchCodec.decode(hugeCount));
        assertTrue(e.getMessage().contains("fragment count"), e.getMessage());

        byte[] overlongVarint = new byte[16];
        overlongVarint[0] = 1;
        Arrays.fill(overlongVarint, 1, 16, (byte) 0x80);
        e = assertThrows(MalformedBatchException.class, () -> IngestBatchCodec.decode(overlongVarint));
        assertTrue(e.getMessage().contains("not a valid varint"), e.getMessage());
    }

    @Test
    void rejectsAHugeTracesDataLength() {
        byte[] encoded = IngestBatchCodec.encode(new IngestBatch("t", List.of(
                new TraceFragment(new TraceId(1, 2), new byte[]{9}, 1, 0, 0)), 1, 1));
        // The data length is the second-to-last byte; make it a 5-byte varint of 2^32 - 1.
        ByteBuffer bogus = ByteBuffer.allocate(encoded.length + 4);
        bogus.put(encoded, 0, encoded.length - 2)
                .put(new byte[]{(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 9});

        var e = assertThrows(MalformedBatchException.class, () -> IngestBatchCodec.decode(bogus.array()));
        assertTrue(e.getMessage().contains("traces data length 4294967295 exceeds"), e.getMessage());
    }

    @Test
    void rejectsInvalidUtf8InTheTenant() {
        byte[] encoded = IngestBatchCodec.encode(new IngestBatch("ab", List.of(), 0, 0));
        encoded[2] = (byte) 0xC0;

        var e = assertThrows(MalformedBatchException.class, () -> IngestBatchCodec.decode(encoded));
        assertTrue(e.getMessage().contains("tenant is not valid UTF-8"), e.getMessage());
    }

    @Test
    void randomGarbageFailsOnlyWithMalformedBatch() {
        Random random = new Random(20240601);
        for (int i = 0; i < 20_000; i++) {
            byte[] garbage = new byte[random.nextInt(200)];
            random.nextBytes(garbage);
            if (garbage.length > 0 && random.nextBoolean()) {
                garbage[0] = IngestBatchCodec.FORMAT_VERSION; // get past the version check more often
            }
            try {
                IngestBatchCodec.decode(garbage);
            } catch (MalformedBatchException expected) {
                // the only acceptable failure
            }
        }
    }

    @Test
    void flippedBytesFailOnlyWithMalformedBatch() {
        byte[] encoded = IngestBatchCodec.encode(sampleBatch());
        Random random = new Random(7);
        for (int i = 0; i < 5_000; i++) {
            byte[] damaged = encoded.clone();
            damaged[random.nextInt(damaged.length)] ^= (byte) (1 + random.nextInt(255));
            try {
                IngestBatchCodec.decode(damaged);
            } catch (MalformedBatchException expected) {
                // the only acceptable failure
            }
        }
    }

    private static IngestBatch sampleBatch() {
        return new IngestBatch("acme", List.of(
                new TraceFragment(new TraceId(1, 2), bytes(300, 1), 4, 100, 200),
                new TraceFragment(new TraceId(3, 4), bytes(20, 2), 1, 150, 160)), 5, 320);
    }

    private static byte[] bytes(int size, int seed) {
        byte[] out = new byte[size];
        new Random(seed).nextBytes(out);
        return out;
    }

    static void assertSameBatch(IngestBatch expected, IngestBatch actual) {
        assertEquals(expected.tenant(), actual.tenant());
        assertEquals(expected.spanCount(), actual.spanCount());
        assertEquals(expected.byteSize(), actual.byteSize());
        assertEquals(expected.fragments().size(), actual.fragments().size());
        for (int i = 0; i < expected.fragments().size(); i++) {
            TraceFragment e = expected.fragments().get(i);
            TraceFragment a = actual.fragments().get(i);
            assertEquals(e.traceId(), a.traceId());
            assertArrayEquals(e.tracesData(), a.tracesData());
            assertEquals(e.spanCount(), a.spanCount());
            assertEquals(e.startNanos(), a.startNanos());
            assertEquals(e.endNanos(), a.endNanos());
        }
    }
}
