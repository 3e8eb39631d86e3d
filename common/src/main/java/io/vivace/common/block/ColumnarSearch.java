package io.vivace.common.block;

import io.vivace.common.block.parquet.ByteArrayDictionary;
import io.vivace.common.block.parquet.ChunkLayout;
import io.vivace.common.block.parquet.ColumnCursor;
import io.vivace.common.block.parquet.ColumnPage;
import io.vivace.common.block.parquet.PageCodec;
import io.vivace.common.traceql.Attribute;
import io.vivace.common.traceql.AttributeScope;
import io.vivace.common.traceql.Condition;
import io.vivace.common.traceql.ConditionOp;
import io.vivace.common.traceql.FetchConditions;
import io.vivace.common.traceql.ValuePredicate;
import org.apache.parquet.column.statistics.Statistics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.parquet.column.ColumnDescriptor;

/**
 * Search over one block column by column: reads only the columns the query's {@link FetchConditions} test, marks per
 * span which conditions it passes without building spans, and rebuilds as OTLP only the rows (traces) with a span
 * that can be in a result ({@code allConditions}: a span passing every condition; otherwise one passing any). The
 * engine re-evaluates every row handed over, so this is a pre-filter that may keep too much but never drops a
 * match: a condition it cannot test (events, links, scope, trace-level intrinsics, nested-set numbers, {@code = nil})
 * passes every span. Rows are handed over in ID order and the scan stops as soon as the sink or {@code keepGoing}
 * says so. See docs/decisions/0502-columnar-block-search.md.
 */
public final class ColumnarSearch {

    /** Receives the rows that may match; returns false to stop the scan. */
    public interface RowSink {
        boolean accept(TraceRecord row) throws IOException;
    }

    /** What a scan read (not thread-safe: one scan at a time, or one object per scan). */
    public static final class Counters {
        public long rowsScanned;
        public long spansScanned;
        public long rowsMaterialised;
        /** Rows of row groups skipped by statistics or dictionaries, without reading a value. */
        public long rowsSkipped;
    }

    private static final List<ColumnDescriptor> SCHEMA_COLUMNS = TraceSchema.SCHEMA.getColumns();
    private static final int FIRST_WINDOW = 32;
    private static final int MAX_WINDOW = 2048;

    private final FetchConditions conditions;
    private final List<Condition> tested;
    private final boolean all;
    private final boolean everyRow;

    private ColumnarSearch(FetchConditions conditions, List<Condition> tested, boolean all, boolean everyRow) {
        this.conditions = conditions;
        this.tested = tested;
        this.all = all;
        this.everyRow = everyRow;
    }

    /** A search that hands over every row (no pushdown). */
    public static ColumnarSearch everyRow() {
        return new ColumnarSearch(null, List.of(), false, true);
    }

    public static ColumnarSearch of(FetchConditions fetch) {
        List<Condition> filtering = fetch.filteringConditions();
        List<Condition> testable = new ArrayList<>();
        for (Condition c : filtering) {
            if (probes(c) != null) {
                testable.add(c);
            } else if (!fetch.allConditions()) {
                // "Some condition holds" with one condition untestable: every span may be needed.
                return new ColumnarSearch(fetch, List.of(), false, !fetch.matchesNothing());
            }
        }
        if (testable.size() > Long.SIZE) {
            if (!fetch.allConditions()) {
                return new ColumnarSearch(fetch, List.of(), false, !fetch.matchesNothing());
            }
            testable = testable.subList(0, Long.SIZE);
        }
        return new ColumnarSearch(fetch, List.copyOf(testable), fetch.allConditions(), testable.isEmpty());
    }

    /** Whether rows are filtered at all (false: every row is rebuilt and handed over). */
    public boolean filters() {
        return !everyRow;
    }

    /**
     * Scans the block's row groups in order, handing over the rows that may match. Rows are tested in windows that
     * grow from {@value #FIRST_WINDOW} to {@value #MAX_WINDOW} rows, each window's candidates rebuilt and handed over
     * before the next is tested, so a search that finds its limit early reads little. Returns false when the sink or
     * {@code keepGoing} stopped the scan.
     */
    public boolean scan(BackendBlock block, BooleanSupplier keepGoing, RowSink sink, Counters counters) throws IOException {
        if (conditions != null && conditions.matchesNothing()) {
            return true;
        }
        if (everyRow) {
            return scanEveryRow(block, keepGoing, sink, counters);
        }
        try (DataFile.Reads reads = block.dataFile().open(); PageCodec codec = new PageCodec()) {
            for (int group = 0; group < block.rowGroupCount(); group++) {
                ChunkLayout[] layout = block.layoutOf(group, reads);
                int rows = Math.toIntExact(block.rowCount(group));
                GroupTester tester = new GroupTester(block, group, layout, reads, codec);
                RowMaterializer materializer = new RowMaterializer(block, group, layout, reads, codec);
                int window = FIRST_WINDOW;
                for (int from = 0; from < rows; from += window, window = Math.min(MAX_WINDOW, 2 * window)) {
                    if (!keepGoing.getAsBoolean()) {
                        return false;
                    }
                    int to = Math.min(rows, from + window);
                    counters.rowsScanned += to - from;
                    int[] candidates = tester.candidates(from, to, counters);
                    if (candidates.length == 0) {
                        continue;
                    }
                    for (TraceRecord row : materializer.read(candidates, 0, candidates.length)) {
                        counters.rowsMaterialised++;
                        if (!sink.accept(row)) {
                            return false;
                        }
                    }
                }
            }
        }
        return true;
    }

    /**
     * Without a filter every row is rebuilt: streaming whole row groups ({@link BackendBlock#traces()}) costs less per
     * row than placing cursors on chosen rows.
     */
    private static boolean scanEveryRow(BackendBlock block, BooleanSupplier keepGoing, RowSink sink, Counters counters)
            throws IOException {
        try (Stream<TraceRecord> rows = block.traces()) {
            Iterator<TraceRecord> it = rows.iterator();
            while (keepGoing.getAsBoolean() && it.hasNext()) {
                TraceRecord row = it.next();
                counters.rowsScanned++;
                counters.rowsMaterialised++;
                if (!sink.accept(row)) {
                    return false;
                }
            }
            return !it.hasNext();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The probes of every tested condition over one row group, moving forward through its rows. */
    private final class GroupTester {
        private final List<List<ConditionProbe>> probes = new ArrayList<>();
        private final ColumnCursor spanColumn;
        private final RowSpans spans = new RowSpans();
        private final long every;
        private final boolean nothingPasses;

        GroupTester(BackendBlock block, int group, ChunkLayout[] layout, DataFile.Reads reads, PageCodec codec)
                throws IOException {
            Set<Integer> columns = new LinkedHashSet<>();
            columns.add(TraceColumns.SPAN_KIND);
            for (Condition c : tested) {
                List<ConditionProbe> forCondition = new ArrayList<>(probes(c));
                probes.add(forCondition);
                for (ConditionProbe p : forCondition) {
                    for (int column : p.columns()) {
                        columns.add(column);
                    }
                }
            }
            ChunkBytes chunks = ChunkBytes.read(block, group, layout, columns, reads, codec);
            int conditionsLeft = 0;
            for (List<ConditionProbe> forCondition : probes) {
                forCondition.removeIf(p -> !mayPass(p, chunks));
                for (ConditionProbe p : forCondition) {
                    p.start(chunks);
                }
                conditionsLeft += forCondition.isEmpty() ? 0 : 1;
            }
            // A condition no value of the group passes: with allConditions no span can pass them all; otherwise
            // only the remaining conditions can mark a span.
            nothingPasses = all ? conditionsLeft < probes.size() : conditionsLeft == 0;
            spanColumn = chunks.cursor(TraceColumns.SPAN_KIND);
            every = probes.size() < Long.SIZE ? (1L << probes.size()) - 1 : -1L;
        }

        private static boolean mayPass(ConditionProbe probe, ChunkBytes chunks) {
            try {
                return probe.mayPass(chunks);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The rows of {@code [from, to)} with a span that may be in a result; rows must be asked for in order. */
        int[] candidates(int from, int to, Counters counters) throws IOException {
            if (nothingPasses) {
                counters.rowsSkipped += to - from;
                return new int[0];
            }
            int[] out = new int[to - from];
            int n = 0;
            for (int row = from; row < to; row++) {
                spanColumn.nextRow();
                spans.read(spanColumn);
                counters.spansScanned += spans.spans;
                for (int i = 0; i < probes.size(); i++) {
                    long bit = 1L << i;
                    for (ConditionProbe p : probes.get(i)) {
                        p.row(spans, bit);
                    }
                }
                if (all ? spans.anySpanHasAll(every) : spans.anySpanHasAny()) {
                    out[n++] = row;
                }
            }
            return Arrays.copyOf(out, n);
        }
    }

    /** The probes testing a condition, or null when the scanner cannot test it (it then passes every span). */
    static List<ConditionProbe> probes(Condition c) {
        if (c.op() == ConditionOp.NONE || c.op() == ConditionOp.ABSENT) {
            return null;
        }
        ValuePredicate predicate;
        try {
            predicate = ValuePredicate.of(c);
        } catch (RuntimeException e) {
            return null;
        }
        if (predicate == null && c.op() != ConditionOp.EXISTS) {
            return null;
        }
        Attribute a = c.attribute();
        if (a.parent()) {
            return null;
        }
        if (a.isIntrinsic()) {
            if (predicate == null) {
                return null;
            }
            ScalarColumnProbe probe = switch (a.intrinsic()) {
                case DURATION -> new ScalarColumnProbe(TraceColumns.SPAN_DURATION, false, ScalarColumnProbe.Kind.DURATION, predicate);
                case NAME -> new ScalarColumnProbe(TraceColumns.SPAN_NAME, false, ScalarColumnProbe.Kind.STRING, predicate);
                case STATUS -> new ScalarColumnProbe(TraceColumns.SPAN_STATUS_CODE, false, ScalarColumnProbe.Kind.STATUS, predicate);
                case STATUS_MESSAGE -> new ScalarColumnProbe(TraceColumns.SPAN_STATUS_MESSAGE, false, ScalarColumnProbe.Kind.STRING, predicate);
                case KIND -> new ScalarColumnProbe(TraceColumns.SPAN_KIND, false, ScalarColumnProbe.Kind.KIND, predicate);
                default -> null;
            };
            return probe == null ? null : List.of(probe);
        }
        List<ConditionProbe> out = new ArrayList<>();
        AttributeScope scope = a.scope();
        if (scope == AttributeScope.SPAN || scope == AttributeScope.NONE) {
            addWellKnown(out, WellKnownAttribute.SPAN, TraceColumns.SPAN_WELL_KNOWN, false, a.name(), predicate);
            out.add(new AttrsProbe(TraceColumns.SPAN_ATTRS, false, a.name(), predicate));
        }
        if (scope == AttributeScope.RESOURCE || scope == AttributeScope.NONE) {
            if (a.name().equals("service.name")) {
                out.add(new ScalarColumnProbe(TraceColumns.RESOURCE_SERVICE_NAME, true, ScalarColumnProbe.Kind.STRING, predicate));
            }
            addWellKnown(out, WellKnownAttribute.RESOURCE, TraceColumns.RESOURCE_WELL_KNOWN, true, a.name(), predicate);
            out.add(new AttrsProbe(TraceColumns.RESOURCE_ATTRS, true, a.name(), predicate));
        }
        return out.isEmpty() ? null : out;
    }

    private static void addWellKnown(List<ConditionProbe> out, List<WellKnownAttribute> table, int[] columns,
                                     boolean resourceLevel, String name, ValuePredicate predicate) {
        for (int i = 0; i < table.size(); i++) {
            WellKnownAttribute w = table.get(i);
            if (w.key().equals(name)) {
                ScalarColumnProbe.Kind kind = w.type() == WellKnownAttribute.ValueType.INT
                        ? ScalarColumnProbe.Kind.INT : ScalarColumnProbe.Kind.STRING;
                out.add(new ScalarColumnProbe(columns[i], resourceLevel, kind, predicate));
            }
        }
    }

    /** The compressed bytes of some column chunks of one row group, read together; hands out lazily decoding cursors. */
    private record ChunkBytes(BackendBlock block, int group, ChunkLayout[] layout, CoalescedReads.Slice[] slices,
                              int[] sliceOfColumn, PageCodec codec) implements ConditionProbe.Chunks {

        static ChunkBytes read(BackendBlock block, int group, ChunkLayout[] layout, Set<Integer> columns,
                               DataFile.Reads reads, PageCodec codec) throws IOException {
            long[] offsets = new long[columns.size()];
            int[] lengths = new int[columns.size()];
            int[] sliceOfColumn = new int[SCHEMA_COLUMNS.size()];
            Arrays.fill(sliceOfColumn, -1);
            int i = 0;
            for (int column : columns) {
                ChunkLayout chunk = layout[column];
                offsets[i] = chunk.start();
                lengths[i] = Math.toIntExact(chunk.end() - chunk.start());
                sliceOfColumn[column] = i++;
            }
            CoalescedReads.Slice[] slices = CoalescedReads.read(reads, offsets, lengths, block.dataFile().coalesceGap());
            return new ChunkBytes(block, group, layout, slices, sliceOfColumn, codec);
        }

        @Override
        public Statistics<?> statistics(int column) {
            return block.statistics(group, column);
        }

        @Override
        public ByteArrayDictionary completeDictionary(int column) throws IOException {
            ChunkLayout chunk = layout[column];
            if (chunk.dictionaryLength() == 0) {
                return null;
            }
            CoalescedReads.Slice slice = slices[sliceOfColumn[column]];
            long base = chunk.start() - slice.offset();
            for (int page = 0; page < chunk.pageCount(); page++) {
                if (!ColumnPage.isDictionaryEncoded(slice.bytes(), Math.toIntExact(chunk.pageOffsets()[page] - base),
                        chunk.pageLengths()[page])) {
                    return null;
                }
            }
            return block.dictionaryOf(group, column, chunk, slice.bytes(), slice.offset(), codec);
        }

        @Override
        public ColumnCursor cursor(int column) throws IOException {
            ChunkLayout chunk = layout[column];
            CoalescedReads.Slice slice = slices[sliceOfColumn[column]];
            long base = chunk.start() - slice.offset();
            ByteArrayDictionary dictionary = chunk.dictionaryLength() > 0
                    ? block.dictionaryOf(group, column, chunk, slice.bytes(), slice.offset(), codec)
                    : null;
            int[] next = {0};
            return ColumnCursor.overChunk(chunk.column().getMaxDefinitionLevel(), () -> {
                int page = next[0]++;
                if (page == chunk.pageCount()) {
                    return null;
                }
                return ColumnPage.decode(chunk, slice.bytes(), Math.toIntExact(chunk.pageOffsets()[page] - base),
                        chunk.pageLengths()[page], codec, dictionary);
            });
        }
    }
}
