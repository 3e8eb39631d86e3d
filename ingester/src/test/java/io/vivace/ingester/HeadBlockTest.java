package io.vivace.ingester;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vivace.common.model.TraceId;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadBlockTest {

    @TempDir
    Path dir;

    @Test
    void batchesOfDirectAndOfHeapBuffersReadBackPerTraceInOrder() throws Exception {
        TraceId a = new TraceId(1, 1);
        TraceId b = new TraceId(2, 2);
        try (HeadBlock head = new HeadBlock(dir, UUID.randomUUID(), 0)) {
            head.append(List.of(
                    new HeadBlock.Entry(a, direct(bytes(1000, 1)), 3, 10, 20, 5),
                    new HeadBlock.Entry(b, direct(bytes(70_000, 2)), 4, 5, 30, 4)));
            // A heap buffer in the batch (a large trace, or the direct pool at its budget) takes the other path.
            head.append(List.of(
                    new HeadBlock.Entry(a, ByteBuffer.wrap(bytes(500, 3)), 1, 25, 26, 6),
                    new HeadBlock.Entry(b, direct(bytes(10, 4)), 1, 31, 32, 6)));

            assertArrayEquals(concat(bytes(1000, 1), bytes(500, 3)), head.read(a));
            assertArrayEquals(concat(bytes(70_000, 2), bytes(10, 4)), head.read(b));
            assertNull(head.read(new TraceId(3, 3)));
            assertEquals(1000 + 70_000 + 500 + 10, head.bytes());
            assertEquals(9, head.spanCount());
            assertEquals(4, head.minSegment());
            assertEquals(5, head.startNanos());
            assertEquals(32, head.endNanos());
        }
    }

    private static ByteBuffer direct(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length + 8).position(4);
        buffer.put(bytes).flip().position(4);
        return buffer;
    }

    private static byte[] concat(byte[] x, byte[] y) {
        byte[] out = new byte[x.length + y.length];
        System.arraycopy(x, 0, out, 0, x.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 17 + seed);
        }
        return b;
    }
}
