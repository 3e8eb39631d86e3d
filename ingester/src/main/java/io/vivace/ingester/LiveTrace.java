package io.vivace.ingester;

import io.vivace.common.ingest.TraceFragment;
import io.vivace.common.model.TraceId;
import java.util.Arrays;

/**
 * A trace still receiving spans: its fragments' encoded bytes appended back to back (a valid {@code TracesData}).
 * Once sealed by the sweep it takes no more spans; a late span starts a new live trace.
 */
final class LiveTrace {

    final TraceId id;
    /** Oldest WAL segment holding part of this trace: the WAL must keep it until the trace is in a block. */
    final long firstSegment;
    private byte[] data;
    private int size;
    private int spanCount;
    private long startNanos = Long.MAX_VALUE;
    private long endNanos = Long.MIN_VALUE;
    private long lastAppend;
    private boolean sealed;

    LiveTrace(TraceId id, long firstSegment) {
        this.id = id;
        this.firstSegment = firstSegment;
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
        if (data == null) {
            // Most traces arrive whole in one request: keep the fragment's array as is. Bytes below size are never
            // written again (an append always lands beyond them, in this array only if it has room), so sharing
            // the array with the fragment, or handing it out sealed, is safe.
            data = bytes;
        } else {
            if (size + bytes.length > data.length) {
                data = Arrays.copyOf(data, Math.max(size + bytes.length, data.length * 2));
            }
            System.arraycopy(bytes, 0, data, size, bytes.length);
        }
        size += bytes.length;
        spanCount += fragment.spanCount();
        startNanos = Math.min(startNanos, fragment.startNanos());
        endNanos = Math.max(endNanos, fragment.endNanos());
        lastAppend = now;
        return Appended.APPENDED;
    }

    synchronized boolean idleSince(long cutoff) {
        return lastAppend <= cutoff;
    }

    /** Stops further appends and returns the content. */
    synchronized byte[] seal() {
        sealed = true;
        return size == data.length ? data : Arrays.copyOf(data, size);
    }

    synchronized byte[] snapshot() {
        return data == null ? new byte[0] : Arrays.copyOf(data, size);
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
