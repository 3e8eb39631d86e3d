package io.vivace.common.query;

import io.vivace.common.block.BackendBlock;
import io.vivace.common.block.ColumnTraceData;
import io.vivace.common.block.ColumnarSearch;
import io.vivace.common.block.TraceRecord;
import io.vivace.common.model.TraceId;
import io.vivace.common.traceql.FetchConditions;
import io.vivace.common.traceql.SpanFields;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Reads backend blocks for a search like {@link BlockTraceScanner} (newest block first, each trace combined with its
 * parts in the other blocks of the window), but column by column: with the visitor's {@link FetchConditions}, only
 * traces holding a span that can be in a result are read and handed over (see {@link ColumnarSearch}): as OTLP, or,
 * when the visitor names its {@link TraceVisitor#spanFields()}, read from only those columns if the trace is whole.
 *
 * <p>Skipping a row is safe for a trace split over blocks: a result span passes the span conditions, so the part
 * holding it is handed over, combined with the parts the scan skipped. A trace handed over combined is remembered so
 * later blocks skip their part. Trace-level requirements (both sides of {@code &&}, {@code count() > n}) are applied
 * only to rows no other block's bloom filter may hold.
 */
public final class ColumnarBlockScanner {

    private ColumnarBlockScanner() {
    }

    /** What the last scans read, summed (for metrics and benchmarks). */
    public static ColumnarSearch.Counters scan(List<BackendBlock> blocks, TimeWindow window, Set<TraceId> handed,
                                               TraceVisitor visitor) throws IOException {
        ColumnarSearch.Counters counters = new ColumnarSearch.Counters();
        scan(blocks, window, handed, visitor, counters);
        return counters;
    }

    /**
     * Scans the blocks overlapping the window into {@code counters}; {@code handed} holds trace IDs the visitor
     * already has (they are skipped) and receives those combined here. Returns false when the visitor stopped the
     * scan (like {@link BlockTraceScanner#scan}).
     */
    public static boolean scan(List<BackendBlock> blocks, TimeWindow window, Set<TraceId> handed, TraceVisitor visitor,
                               ColumnarSearch.Counters counters) throws IOException {
        FetchConditions conditions = visitor.fetchConditions();
        ColumnarSearch search = conditions == null ? ColumnarSearch.everyRow() : ColumnarSearch.of(conditions);
        List<BackendBlock> inWindow = BlockTraceScanner.inWindowNewestFirst(blocks, window);
        for (BackendBlock block : inWindow) {
            if (!visitor.wantsMore() || !visitor.startBlock(block.meta().size())) {
                return false;
            }
            ColumnarSearch.PartsElsewhere partsElsewhere = id -> {
                for (BackendBlock other : inWindow) {
                    if (other != block && other.bloomMightContain(id)) {
                        return true;
                    }
                }
                return false;
            };
            boolean completed = search.scan(block, partsElsewhere, visitor::wantsMore, new ColumnarSearch.RowSink() {
                @Override
                public boolean accept(TraceRecord row) throws IOException {
                    if (handed.contains(row.id())) {
                        return true;
                    }
                    return visitor.visit(BlockTraceScanner.withPartsElsewhere(row, block, inWindow, handed));
                }

                @Override
                public SpanFields spanFields() {
                    return visitor.spanFields();
                }

                @Override
                public boolean acceptColumns(ColumnTraceData trace) {
                    return handed.contains(trace.id()) || visitor.visitColumns(trace);
                }
            }, counters);
            if (!completed) {
                return false;
            }
            visitor.endBlock();
        }
        return true;
    }
}
