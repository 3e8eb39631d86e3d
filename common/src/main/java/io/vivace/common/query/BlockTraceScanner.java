package io.vivace.common.query;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.block.BackendBlock;
import io.vivace.common.block.TraceRecord;
import io.vivace.common.model.TraceCombiner;
import io.vivace.common.model.TraceId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads backend blocks for a search, newest first, each trace combined with its parts in the other blocks of the
 * window. A block row is a whole trace as of that block, but late spans can land in a later block; the other
 * blocks' bloom filters (cached in memory) tell which rows need that extra lookup, so the common case reads
 * each row once. Traces handed over are remembered only when they had parts elsewhere, to skip those parts later.
 */
public final class BlockTraceScanner {

    private BlockTraceScanner() {
    }

    /** The blocks overlapping the window, newest (by end time) first. */
    static List<BackendBlock> inWindowNewestFirst(List<BackendBlock> blocks, TimeWindow window) {
        List<BackendBlock> inWindow = new ArrayList<>();
        for (BackendBlock b : blocks) {
            if (window.overlaps(b.meta().startTime(), b.meta().endTime())) {
                inWindow.add(b);
            }
        }
        inWindow.sort(Comparator.comparing((BackendBlock b) -> b.meta().endTime()).reversed());
        return inWindow;
    }

    /**
     * Rebuilds every trace (the reference path: {@link ColumnarBlockScanner} hands over the same matches).
     * Scans the blocks overlapping the window; {@code handed} holds trace IDs the visitor already has (they are
     * skipped) and receives those combined here. Returns false when the visitor stopped the scan.
     */
    public static boolean scan(List<BackendBlock> blocks, TimeWindow window, Set<TraceId> handed, TraceVisitor visitor)
            throws IOException {
        List<BackendBlock> inWindow = inWindowNewestFirst(blocks, window);
        for (BackendBlock block : inWindow) {
            if (!visitor.startBlock(block.meta().size())) {
                return false;
            }
            try (Stream<TraceRecord> rows = block.traces()) {
                Iterator<TraceRecord> it = rows.iterator();
                while (it.hasNext()) {
                    TraceRecord row = it.next();
                    if (handed.contains(row.id())) {
                        continue;
                    }
                    TracesData trace = withPartsElsewhere(row, block, inWindow, handed);
                    if (!visitor.visit(trace)) {
                        return false;
                    }
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            visitor.endBlock();
        }
        return true;
    }

    static TracesData withPartsElsewhere(TraceRecord row, BackendBlock block, List<BackendBlock> blocks,
                                                 Set<TraceId> handed) throws IOException {
        List<TracesData> parts = null;
        for (BackendBlock other : blocks) {
            if (other == block || !other.bloomMightContain(row.id())) {
                continue;
            }
            Optional<TracesData> part = other.findTraceById(row.id());
            if (part.isPresent()) {
                if (parts == null) {
                    parts = new ArrayList<>();
                    parts.add(row.trace());
                }
                parts.add(part.get());
            }
        }
        if (parts == null) {
            return row.trace();
        }
        handed.add(row.id());
        return TraceCombiner.combine(parts);
    }
}
