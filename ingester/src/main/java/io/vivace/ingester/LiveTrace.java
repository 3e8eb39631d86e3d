package io.vivace.ingester;

import io.vivace.common.ingest.TraceFragment;
import io.vivace.common.model.TraceId;
import java.nio.ByteBuffer;

/**
 * A trace still receiving spans: its fragments' encoded bytes appended back to back (a valid {@code TracesData}) in a
 * slice of {@link LiveTraceMemory}. Once sealed by the sweep it takes no more spans: a late span starts a new live
 * trace that keeps the sealed one as its predecessor, readable until the sweep has written it to the head block and
 * released its memory, so no part of the trace is invisible in between.
 */
final class LiveTrace {

    final TraceId id;
    /** Oldest WAL segment holding part of this trace: the WAL must keep it until the trace is in a block. */
    final long firstSegment;
    private final LiveTraceMemory memory;
    /** Null before the first append and after {@link #release}. */
    private LiveTraceMemory.Slice slice;
    private int size;
    private int spanCount;
    private long startNanos = Long.MAX_VALUE;
    private long endNanos = Long.MIN_VALUE;
    private long lastAppend;
    private boolean sealed;
    private boolean released;
    /** The sealed trace this one took over from, until this one is released; null when none. */
    private LiveTrace predecessor;

    LiveTrace(TraceId id, long firstSegment, LiveTraceMemory memory) {
        this(id, firstSegment, memory, null);
    }

    /** A trace that takes the late spans of {@code predecessor}, sealed but maybe not yet in the head block. */
    LiveTrace(TraceId id, long firstSegment, LiveTraceMemory memory, LiveTrace predecessor) {
        this.id = id;
        // The WAL keeps the predecessor's segments too until this trace is in a block: it may not be written yet.
        this.firstSegment = predecessor == null ? firstSegment : Math.min(firstSegment, predecessor.firstSegment);
        this.memory = memory;
        this.predecessor = predecessor;
    }

    synchronized LiveTrace predecessor() {
        return predecessor;
    }

    enum Appended { APPENDED, SEALED, TOO_LARGE }

    /** Returns false if the trace was sealed meanwhile and the caller must start a new one. */
    synchronized boolean append(TraceFragment fragment, long now) {
        return append(fragment, now, 0) == Appended.APPENDED;
    }

    /**
     * Appends unless the trace was sealed meanwhile (the caller starts a new one) or the fragment would take it past
     * {@code maxBytes} (0 = no limit), in which case the fragment is not taken.
     */
    synchronized Appended append(TraceFragment fragment, long now, long maxBytes) {
        if (sealed) {
            return Appended.SEALED;
        }
        byte[] bytes = fragment.tracesData();
        if (maxBytes > 0 && size + bytes.length > maxBytes) {
            return Appended.TOO_LARGE;
        }
        if (slice == null) {
            // Most traces arrive whole in one request: exactly their size, no room to grow.
            slice = memory.allocate(bytes.length);
        } else if (size + bytes.length > slice.capacity() || !memory.inCurrentChunk(slice)) {
            LiveTraceMemory.Slice moved = memory.allocate(Math.max(size + bytes.length, 2 * size));
            moved.buffer().put(0, slice.buffer(), 0, size);
            memory.release(slice);
            slice = moved;
        }
        slice.buffer().put(size, bytes);
        size += bytes.length;
        spanCount += fragment.spanCount();
        startNanos = Math.min(startNanos, fragment.startNanos());
        endNanos = Math.max(endNanos, fragment.endNanos());
        lastAppend = now;
        return Appended.APPENDED;
    }

    synchronized long lastAppend() {
        return lastAppend;
    }

    synchronized boolean idleSince(long cutoff) {
        return lastAppend <= cutoff;
    }

    /**
     * Stops further appends and returns the content, valid until {@link #release}; null once released (the content
     * is in the head block). The sweeps, which seal, write and release, run one at a time.
     */
    synchronized ByteBuffer seal() {
        sealed = true;
        if (released) {
            return null;
        }
        return slice == null ? ByteBuffer.allocate(0) : slice.buffer().slice(0, size);
    }

    /** Gives the memory back once the sealed content is safe elsewhere (the head block); the trace reads empty after. */
    synchronized void release() {
        released = true;
        predecessor = null;
        if (slice != null) {
            memory.release(slice);
            slice = null;
            size = 0;
        }
    }

    synchronized byte[] snapshot() {
        byte[] copy = new byte[size];
        if (slice != null) {
            slice.buffer().get(0, copy);
        }
        return copy;
    }

    synchronized int size() {
        return size;
    }

    synchronized int spanCount() {
        return spanCount;
    }

    synchronized long startNanos() {
        return startNanos;
    }

    synchronized long endNanos() {
        return endNanos;
    }
}
