package io.vivace.ingester;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.block.BackendBlock;
import io.vivace.common.block.ColumnarSearch;
import io.vivace.common.ingest.TraceFragment;
import io.vivace.common.model.TraceCombiner;
import io.vivace.common.query.ColumnarBlockScanner;
import io.vivace.common.query.TimeWindow;
import io.vivace.common.query.TraceVisitor;
import io.vivace.common.model.TraceId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One tenant's recent data on this ingester: live traces, the head block they go idle into, head blocks being
 * turned into backend blocks, and blocks recently flushed. A trace moves along that chain and is always
 * reachable: each step adds it to the next stage before removing it from the previous one, and readers
 * look in the stages in the same order.
 */
final class TenantInstance {

    /** Traces written to the head block with one gathering write: few enough that the write stays short. */
    private static final int HEAD_WRITE_BATCH = 64;

    final String tenant;
    private final Path headDir;
    private final LiveTraceMemory memory;
    private final ConcurrentHashMap<TraceId, LiveTrace> live = new ConcurrentHashMap<>();
    private volatile HeadBlock head;
    private final List<HeadBlock> completing = new CopyOnWriteArrayList<>();
    private final List<FlushedBlock> flushed = new CopyOnWriteArrayList<>();

    TenantInstance(String tenant, Path headDir, LiveTraceMemory memory, long nowNanos) throws IOException {
        this.tenant = tenant;
        this.headDir = headDir;
        this.memory = memory;
        this.head = new HeadBlock(headDir, UUID.randomUUID(), nowNanos);
    }

    /** What {@link #append} took, and the spans it refused under the tenant's limits. */
    record Admitted(List<TraceFragment> fragments, int spanCount, int tooLargeSpans, int liveTracesExceededSpans) {
        boolean all(int offered) {
            return fragments.size() == offered;
        }
    }

    /** Appends without limits (WAL replay: what is in the WAL was admitted before). */
    void append(List<TraceFragment> fragments, long segment, long now) {
        append(fragments, segment, now, 0, 0);
    }

    /**
     * Appends each fragment to its live trace, refusing a fragment that would start a live trace beyond
     * {@code maxLiveTraces} or take its live trace beyond {@code maxBytesPerTrace} (0 = no limit).
     */
    Admitted append(List<TraceFragment> fragments, long segment, long now, int maxLiveTraces, long maxBytesPerTrace) {
        List<TraceFragment> kept = new ArrayList<>(fragments.size());
        int spans = 0;
        int tooLarge = 0;
        int overLive = 0;
        for (TraceFragment f : fragments) {
            while (true) {
                LiveTrace trace = live.get(f.traceId());
                if (trace == null) {
                    if (maxLiveTraces > 0 && live.size() >= maxLiveTraces) {
                        overLive += f.spanCount();
                        break;
                    }
                    trace = live.computeIfAbsent(f.traceId(), id -> new LiveTrace(id, segment, memory));
                }
                LiveTrace.Appended result = trace.append(f, now, maxBytesPerTrace);
                if (result == LiveTrace.Appended.APPENDED) {
                    kept.add(f);
                    spans += f.spanCount();
                    break;
                }
                if (result == LiveTrace.Appended.TOO_LARGE) {
                    tooLarge += f.spanCount();
                    break;
                }
                // Sealed by the sweep: a new live trace takes the fragment; the sealed one stays readable through it
                // until the sweep has written it to the head block.
                live.replace(f.traceId(), trace, new LiveTrace(f.traceId(), segment, memory, trace));
            }
        }
        return new Admitted(kept, spans, tooLarge, overLive);
    }

    /**
     * Moves traces idle since {@code cutoff} (all of them when {@code all}) into the head block. One sweep at a time:
     * a trace's memory is released once it is written, so two sweeps must not write the same trace.
     */
    int moveIdleTracesToHead(long cutoff, boolean all) throws IOException {
        int moved = 0;
        List<LiveTrace> sealed = new ArrayList<>(HEAD_WRITE_BATCH);
        List<HeadBlock.Entry> entries = new ArrayList<>(HEAD_WRITE_BATCH);
        for (LiveTrace trace : live.values()) {
            if (all || trace.idleSince(cutoff)) {
                ByteBuffer data = trace.seal();
                if (data == null) {
                    continue; // released: already in the head block
                }
                sealed.add(trace);
                entries.add(new HeadBlock.Entry(trace.id, data, trace.spanCount(), trace.startNanos(), trace.endNanos(),
                        trace.firstSegment));
                if (entries.size() == HEAD_WRITE_BATCH) {
                    moved += moveToHead(sealed, entries);
                }
            }
        }
        return moved + moveToHead(sealed, entries);
    }

    /**
     * Moves the least recently appended traces, about {@code fraction} of the live traces' bytes, into the head block
     * before they are idle: the ingester's answer to live traces outgrowing their memory (decision 0605). A trace that
     * receives spans afterwards continues as a new live trace, like a late span after the idle period.
     */
    int moveLeastRecentToHead(double fraction) throws IOException {
        List<Activity> byAge = new ArrayList<>(live.size());
        long total = 0;
        for (LiveTrace trace : live.values()) {
            Activity activity = new Activity(trace.lastAppend(), trace.size());
            byAge.add(activity);
            total += activity.bytes();
        }
        byAge.sort(Comparator.comparingLong(Activity::lastAppend));
        long cutoff = Long.MIN_VALUE;
        long covered = 0;
        for (Activity activity : byAge) {
            if (covered >= fraction * total) {
                break;
            }
            covered += activity.bytes();
            cutoff = activity.lastAppend();
        }
        return cutoff == Long.MIN_VALUE ? 0 : moveIdleTracesToHead(cutoff, false);
    }

    /** When a live trace last received spans, and how many bytes it holds. */
    private record Activity(long lastAppend, int bytes) {}

    /** Writes sealed traces to the head block, then drops them from the live traces and gives their memory back. */
    private int moveToHead(List<LiveTrace> sealed, List<HeadBlock.Entry> entries) throws IOException {
        if (entries.isEmpty()) {
            return 0;
        }
        head.append(entries);
        for (LiveTrace trace : sealed) {
            live.remove(trace.id, trace);
            trace.release();
        }
        int moved = sealed.size();
        sealed.clear();
        entries.clear();
        return moved;
    }

    /** Swaps in a fresh head block and returns the old one, now completing, or null if it was empty. */
    HeadBlock cutHead(long now) throws IOException {
        HeadBlock old = head;
        if (old.isEmpty()) {
            return null;
        }
        completing.add(old);
        head = new HeadBlock(headDir, UUID.randomUUID(), now);
        return old;
    }

    HeadBlock head() {
        return head;
    }

    void completed(HeadBlock block, FlushedBlock result) throws IOException {
        flushed.add(result);
        completing.remove(block);
        block.delete();
    }

    /** Drops flushed blocks older than the cutoff from what this ingester serves. */
    void expireFlushed(long cutoffNanos) {
        for (FlushedBlock b : flushed) {
            if (b.flushedNanos() <= cutoffNanos && flushed.remove(b)) {
                b.block().close();
            }
        }
    }

    /** Lowest WAL segment still needed by data that is not yet in a backend block. */
    long minSegmentInUse() {
        long min = Long.MAX_VALUE;
        for (LiveTrace t : live.values()) {
            min = Math.min(min, t.firstSegment);
        }
        min = Math.min(min, head.minSegment());
        for (HeadBlock b : completing) {
            min = Math.min(min, b.minSegment());
        }
        return min;
    }

    /** The live trace of that ID, or null. */
    LiveTrace liveTrace(TraceId id) {
        return live.get(id);
    }

    int liveTraceCount() {
        return live.size();
    }

    List<HeadBlock> completing() {
        return completing;
    }

    List<FlushedBlock> flushed() {
        return flushed;
    }

    /** Every part of the trace held here; block time ranges narrow the flushed blocks read (0 = unbounded). */
    List<TracesData> find(TraceId id, long startSeconds, long endSeconds) throws IOException {
        List<TracesData> parts = new ArrayList<>();
        for (LiveTrace trace = live.get(id); trace != null; trace = trace.predecessor()) {
            byte[] data = trace.snapshot();
            if (data.length > 0) {
                parts.add(TracesData.parseFrom(data));
            }
        }
        addFromHead(parts, head, id);
        for (HeadBlock b : completing) {
            addFromHead(parts, b, id);
        }
        for (FlushedBlock b : flushed) {
            if (b.meta().overlapsSeconds(startSeconds, endSeconds)) {
                Optional<TracesData> found = b.block().findTraceById(id);
                found.ifPresent(parts::add);
            }
        }
        return parts;
    }

    /**
     * Hands every trace held here to the visitor: first the traces in memory and head blocks, each combined from
     * all its parts here (a late span makes a second live trace beside the head block part), then the rows of
     * the flushed blocks not handed over yet, column by column ({@link ColumnarBlockScanner}: only rows that may match
     * are rebuilt). Returns false when the visitor stopped.
     */
    boolean scan(TimeWindow window, TraceVisitor visitor) throws IOException {
        Set<TraceId> handed = new HashSet<>();
        List<TraceId> recent = new ArrayList<>(live.keySet());
        recent.addAll(head.sortedTraceIds());
        for (HeadBlock b : completing) {
            recent.addAll(b.sortedTraceIds());
        }
        for (TraceId id : recent) {
            if (!handed.add(id)) {
                continue;
            }
            List<TracesData> parts = find(id, 0, 0);
            if (!parts.isEmpty() && !visitor.visit(TraceCombiner.combine(parts))) {
                return false;
            }
        }
        List<BackendBlock> blocks = flushed.stream().map(FlushedBlock::block).toList();
        return ColumnarBlockScanner.scan(blocks, window, handed, visitor, new ColumnarSearch.Counters());
    }

    private static void addFromHead(List<TracesData> parts, HeadBlock block, TraceId id) throws IOException {
        try {
            byte[] data = block.read(id);
            if (data != null) {
                parts.add(TracesData.parseFrom(data));
            }
        } catch (ClosedChannelException e) {
            // Flushed and deleted meanwhile; the flushed list, read after this, holds the same data.
        }
    }
}
