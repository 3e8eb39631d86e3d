package io.vivace.ingester;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Memory outside the Java heap for the bytes of live traces (decision 0603). Live traces stay in memory for
 * {@code trace_idle_period} to twice that, so on the heap every byte of them was copied by at least one young
 * collection and then filled the old generation until a full collection; here the collector never sees them.
 *
 * <p>Slices are cut from pooled direct buffers of {@value #CHUNK_BYTES} bytes, one chunk filled at a time. A chunk
 * goes back to the pool once every slice cut from it is released and it is no longer the one being filled. A slice
 * larger than {@value #MAX_DIRECT_SLICE_BYTES} bytes, or any slice once the pool has reached its byte budget, is
 * an ordinary heap buffer, as before. Reaching the budget calls the {@link #onBudgetReached} callback, with which the
 * ingester moves its least recently appended traces to the head block early (decision 0605).
 */
final class LiveTraceMemory {

    static final int CHUNK_BYTES = 1 << 20;
    static final int MAX_DIRECT_SLICE_BYTES = CHUNK_BYTES / 4;

    /** Memory for one live trace: {@code buffer} spans the whole slice, position 0. */
    record Slice(Chunk chunk, ByteBuffer buffer) {
        int capacity() {
            return buffer.capacity();
        }
    }

    static final class Chunk {
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK_BYTES);
        private int used;
        private int liveSlices;
    }

    private final long maxChunks;
    private final ArrayDeque<Chunk> pool = new ArrayDeque<>();
    private Chunk current;
    private long chunks;
    private Runnable onBudgetReached = () -> {};

    /** At most {@code maxDirectBytes} of direct buffers; beyond that, slices are heap buffers. */
    LiveTraceMemory(long maxDirectBytes) {
        this.maxChunks = maxDirectBytes / CHUNK_BYTES;
    }

    /**
     * A quarter of the heap limit (decision 0608): under a sustained load the process holds the heap, grown to its
     * limit, plus this pool at its peak, which it never gives back; at half the heap limit that passed 1.5 GB.
     */
    static LiveTraceMemory withDefaultBudget() {
        return new LiveTraceMemory(defaultBudgetBytes(Runtime.getRuntime().maxMemory()));
    }

    static long defaultBudgetBytes(long maxHeapBytes) {
        return maxHeapBytes / 4;
    }

    /** Called, under this object's lock, each time a slice falls back to the heap because the budget is used up. */
    synchronized void onBudgetReached(Runnable callback) {
        this.onBudgetReached = callback;
    }

    synchronized Slice allocate(int bytes) {
        if (bytes > MAX_DIRECT_SLICE_BYTES) {
            return heap(bytes);
        }
        if (current == null || current.used + bytes > CHUNK_BYTES) {
            Chunk full = current;
            current = takeChunk();
            if (full != null && full.liveSlices == 0) {
                recycle(full);
            }
            if (current == null) {
                onBudgetReached.run();
                return heap(bytes);
            }
        }
        ByteBuffer buffer = current.buffer.slice(current.used, bytes);
        current.used += bytes;
        current.liveSlices++;
        return new Slice(current, buffer);
    }

    /** Gives the slice back; its buffer must not be used afterwards. */
    synchronized void release(Slice slice) {
        Chunk chunk = slice.chunk();
        if (chunk != null && --chunk.liveSlices == 0 && chunk != current) {
            recycle(chunk);
        }
    }

    /**
     * Whether the slice lies in the chunk being filled. A live trace that grows moves out of an older chunk, so one
     * slow trace does not keep a whole chunk from going back to the pool for as long as it lives.
     */
    synchronized boolean inCurrentChunk(Slice slice) {
        return slice.chunk() == null || slice.chunk() == current;
    }

    /** Direct bytes held: in use, being filled and pooled. */
    synchronized long directBytes() {
        return chunks * CHUNK_BYTES;
    }

    private Chunk takeChunk() {
        Chunk pooled = pool.poll();
        if (pooled != null) {
            return pooled;
        }
        if (chunks >= maxChunks) {
            return null;
        }
        chunks++;
        return new Chunk();
    }

    private void recycle(Chunk chunk) {
        chunk.used = 0;
        pool.push(chunk);
    }

    private static Slice heap(int bytes) {
        return new Slice(null, ByteBuffer.allocate(bytes));
    }
}
