package io.vivace.ingester;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vivace.common.ingest.TraceFragment;
import io.vivace.common.model.TraceId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LiveTraceTest {

    private static final TraceId ID = new TraceId(1, 2);

    @Test
    void appendedFragmentsReadBackBackToBackAcrossGrowthAndChunkChanges() {
        LiveTraceMemory memory = new LiveTraceMemory(64L * LiveTraceMemory.CHUNK_BYTES);
        LiveTrace trace = new LiveTrace(ID, 1, memory);
        LiveTrace filler = new LiveTrace(new TraceId(3, 4), 1, memory);
        ByteBuffer expected = ByteBuffer.allocate(1 << 20);
        for (int i = 0; i < 50; i++) {
            byte[] bytes = bytes(100 + i * 37, i);
            assertEquals(LiveTrace.Appended.APPENDED, trace.append(fragment(bytes, i, 1000 + i), i, 0));
            expected.put(bytes);
            // Another trace fills chunks in between, so this one keeps moving to the chunk being filled.
            filler.append(fragment(bytes(60_000, 7), 1, 2), i, 0);
        }
        byte[] want = new byte[expected.position()];
        expected.flip().get(want);
        assertArrayEquals(want, trace.snapshot());
        assertEquals(want.length, trace.size());
        assertEquals(50, trace.spanCount());
        assertEquals(0, trace.startNanos());
        assertEquals(1049, trace.endNanos());

        ByteBuffer sealed = trace.seal();
        byte[] written = new byte[sealed.remaining()];
        sealed.get(written);
        assertArrayEquals(want, written);
        assertEquals(LiveTrace.Appended.SEALED, trace.append(fragment(bytes(10, 1), 1, 1), 99, 0));
        assertEquals(want.length, trace.seal().remaining(), "a sweep whose head block write failed writes it again");
        trace.release();
        assertNull(trace.seal(), "a released trace is in the head block already");
        assertEquals(0, trace.snapshot().length);
    }

    @Test
    void aReleasedTraceReadsEmptyAndItsChunkIsReused() {
        LiveTraceMemory memory = new LiveTraceMemory(2L * LiveTraceMemory.CHUNK_BYTES);
        List<LiveTrace> traces = new ArrayList<>();
        // Fill both chunks of the budget: each slice takes a quarter chunk.
        for (int i = 0; i < 8; i++) {
            LiveTrace t = new LiveTrace(new TraceId(1, i + 1), 1, memory);
            t.append(fragment(bytes(LiveTraceMemory.MAX_DIRECT_SLICE_BYTES, i), 1, 2), 0, 0);
            traces.add(t);
        }
        assertEquals(2L * LiveTraceMemory.CHUNK_BYTES, memory.directBytes());
        for (LiveTrace t : traces.subList(0, 4)) {
            t.seal();
            t.release();
            assertEquals(0, t.snapshot().length);
        }
        // The first chunk went back to the pool: new traces fill it rather than growing the direct memory.
        LiveTrace next = new LiveTrace(new TraceId(2, 1), 1, memory);
        next.append(fragment(bytes(1000, 9), 1, 2), 0, 0);
        assertEquals(2L * LiveTraceMemory.CHUNK_BYTES, memory.directBytes());
        assertArrayEquals(bytes(1000, 9), next.snapshot());
        for (int i = 4; i < 8; i++) {
            assertArrayEquals(bytes(LiveTraceMemory.MAX_DIRECT_SLICE_BYTES, i), traces.get(i).snapshot());
        }
    }

    @Test
    void beyondTheBudgetAndForLargeTracesTheHeapIsUsed() {
        LiveTraceMemory memory = new LiveTraceMemory(LiveTraceMemory.CHUNK_BYTES);
        AtomicInteger budgetReached = new AtomicInteger();
        memory.onBudgetReached(budgetReached::incrementAndGet);
        for (int i = 0; i < 4; i++) {
            assertTrue(memory.allocate(LiveTraceMemory.MAX_DIRECT_SLICE_BYTES).buffer().isDirect());
        }
        assertEquals(0, budgetReached.get());
        assertFalse(memory.allocate(1).buffer().isDirect(), "the one chunk of the budget is full");
        assertEquals(1, budgetReached.get(), "the ingester is told, to move traces out");
        assertFalse(memory.allocate(LiveTraceMemory.MAX_DIRECT_SLICE_BYTES + 1).buffer().isDirect());
        assertEquals(1, budgetReached.get(), "a slice too large for a chunk is on the heap anyway: no pressure");
        assertEquals(LiveTraceMemory.CHUNK_BYTES, memory.directBytes());

        LiveTrace big = new LiveTrace(ID, 1, memory);
        byte[] bytes = bytes(LiveTraceMemory.CHUNK_BYTES * 2, 3);
        big.append(fragment(bytes, 1, 2), 0, 0);
        assertArrayEquals(bytes, big.snapshot());
    }

    @Test
    void aFragmentOverTheTraceLimitIsNotTaken() {
        LiveTrace trace = new LiveTrace(ID, 1, new LiveTraceMemory(LiveTraceMemory.CHUNK_BYTES));
        assertEquals(LiveTrace.Appended.APPENDED, trace.append(fragment(bytes(60, 1), 1, 2), 0, 100));
        assertEquals(LiveTrace.Appended.TOO_LARGE, trace.append(fragment(bytes(60, 2), 1, 2), 0, 100));
        assertArrayEquals(bytes(60, 1), trace.snapshot());
    }

    private static TraceFragment fragment(byte[] bytes, long start, long end) {
        return new TraceFragment(ID, bytes, 1, start, end);
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }
}
