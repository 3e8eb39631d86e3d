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
import io.vivace.common.traceql.SpanFields;
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
import io.vivace.common.model.TraceId;
import java.util.stream.IntStream;
import java.util.stream.Stream;

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
        /** A row rebuilt as OTLP: every row when {@link #spanFields()} is null, else a row with parts elsewhere. */
        boolean accept(TraceRecord row) throws IOException;

        /**
         * What the sink reads of a trace when it takes rows read from only those columns ({@link #acceptColumns});
         * null (the default): it takes OTLP rows only.
         */
        default SpanFields spanFields() {
            return null;
        }

        /** A whole trace (no other block of the scan may hold a part of it) read from the columns of {@link #spanFields()}. */
        default boolean acceptColumns(ColumnTraceData trace) throws IOException {
            throw new UnsupportedOperationException("this sink takes OTLP rows only");
        }
    }

    /** Whether a trace may have parts outside the block being scanned (its row then is not the whole trace). */
    public interface PartsElsewhere {
        boolean mayExist(TraceId id) throws IOException;
    }

    /** What a scan read (not thread-safe: one scan at a time, or one object per scan). */
    public static final class Counters {
        public long rowsScanned;
        public long spansScanned;
        public long rowsMaterialised;
        /** Of those, rows handed over as {@link ColumnTraceData} (the others were rebuilt as OTLP). */
        public long rowsFromColumns;
        /** Rows of row groups skipped by statistics or dictionaries, without reading a value. */
        public long rowsSkipped;
    }

    private static final int FIRST_WINDOW = 32;
    private static final int MAX_WINDOW = 2048;
    private static final int FIRST_BATCH = 8;
    /** Rows tested at once in the windows up to {@link #MAX_STEPPED_WINDOW} rows, where a limited search usually ends. */
    private static final int STEP = 32;
    private static final int MAX_STEPPED_WINDOW = 512;

    private final FetchConditions conditions;
    private final List<Condition> tested;
    private final boolean all;
    private final boolean everyRow;
    /** Per trace requirement: the bits of its tested conditions, and how many spans must have them all. */
    private final long[] requiredMasks;
    private final int[] requiredSpans;

    private ColumnarSearch(FetchConditions conditions, List<Condition> tested, boolean all, boolean everyRow) {
        this.conditions = conditions;
        this.tested = tested;
        this.all = all;
        this.everyRow = everyRow;
        List<FetchConditions.SpanRequirement> requirements = conditions == null || everyRow
                ? List.of() : conditions.traceRequirements();
        long[] masks = new long[requirements.size()];
        int[] spans = new int[requirements.size()];
        int n = 0;
        for (FetchConditions.SpanRequirement r : requirements) {
            long mask = 0;
            for (Condition c : r.conditions()) {
                int bit = tested.indexOf(c);
                // An untested condition is left out: the requirement only gets looser.
                mask |= bit < 0 ? 0 : 1L << bit;
            }
            if (mask != 0) {
                masks[n] = mask;
                spans[n++] = r.minSpans();
            }
        }
        this.requiredMasks = Arrays.copyOf(masks, n);
        this.requiredSpans = Arrays.copyOf(spans, n);
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

    /** Like {@link #scan(BackendBlock, PartsElsewhere, BooleanSupplier, RowSink, Counters)} for a block holding whole traces. */
    public boolean scan(BackendBlock block, BooleanSupplier keepGoing, RowSink sink, Counters counters) throws IOException {
        return scan(block, id -> false, keepGoing, sink, counters);
    }

    /**
     * Scans the block's row groups in order, handing over the rows that may match. Rows are tested in windows that
     * grow from {@value #FIRST_WINDOW} to {@value #MAX_WINDOW} rows, each window's candidates rebuilt and handed over
     * before the next is tested, so a search that finds its limit early reads little. The trace requirements of the
     * conditions (e.g. both sides of {@code &&}) are applied only to rows that are whole traces: those for which
     * {@code partsElsewhere} is false. When the sink names its {@link RowSink#spanFields()}, whole traces are read
     * from those columns only ({@link ColumnTraceData}, decision 0504) and only the others rebuilt as OTLP. Returns
     * false when the sink or {@code keepGoing} stopped the scan.
     */
    public boolean scan(BackendBlock block, PartsElsewhere partsElsewhere, BooleanSupplier keepGoing, RowSink sink,
                        Counters counters) throws IOException {
        if (conditions != null && conditions.matchesNothing()) {
            return true;
        }
        SpanFields fields = sink.spanFields();
        if (everyRow && fields == null) {
            return scanEveryRow(block, keepGoing, sink, counters);
        }
        try (DataFile.Reads reads = block.dataFile().open(); PageCodec codec = new PageCodec()) {
            for (int group = 0; group < block.rowGroupCount(); group++) {
                ChunkLayout[] layout = block.layoutOf(group, reads);
                int rows = Math.toIntExact(block.rowCount(group));
                GroupTester tester = everyRow ? null : new GroupTester(block, group, layout, reads, codec, partsElsewhere);
                RowMaterializer otlp = RowMaterializer.otlp(block, group, layout, reads, codec);
                ColumnRowReader.GenericLists lists = fields == null ? null : genericLists(block, group, layout, reads, codec, fields);
                RowMaterializer columns = fields == null ? null
                        : RowMaterializer.columns(block, group, layout, reads, codec, ColumnRowReader.columns(fields, lists),
                                tester == null ? RowMaterializer.DecodedPages.NONE : tester.chunks);
                Batches batches = new Batches();
                int window = FIRST_WINDOW;
                for (int from = 0; from < rows; from += window, window = Math.min(MAX_WINDOW, 2 * window)) {
                    int to = Math.min(rows, from + window);
                    if (tester != null) {
                        tester.load(to);
                    }
                    // The window's pages are read at once; its rows are tested in steps, the candidates of each step
                    // handed over before the next is decoded, so a search reaching its limit decodes little past it.
                    int step = window <= MAX_STEPPED_WINDOW ? STEP : window;
                    for (int stepFrom = from; stepFrom < to; stepFrom += step) {
                        if (!keepGoing.getAsBoolean()) {
                            return false;
                        }
                        int stepTo = Math.min(to, stepFrom + step);
                        counters.rowsScanned += stepTo - stepFrom;
                        int[] candidates = tester == null ? IntStream.range(stepFrom, stepTo).toArray()
                                : tester.candidates(stepFrom, stepTo, counters);
                        if (candidates.length == 0) {
                            continue;
                        }
                        boolean more = columns == null ? handOver(otlp.read(candidates, 0, candidates.length), sink, counters)
                                : handOverColumns(candidates, batches, columns, otlp, fields, lists, block.relativeSpanStarts(),
                                        partsElsewhere, sink, counters);
                        if (!more) {
                            return false;
                        }
                    }
                }
            }
        }
        return true;
    }

    private static boolean handOver(List<TraceRecord> rows, RowSink sink, Counters counters) throws IOException {
        for (TraceRecord row : rows) {
            counters.rowsMaterialised++;
            if (!sink.accept(row)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads the candidates from the query's columns, in batches of growing size so that a search reaching its limit
     * in a window reads few more traces than it needs; a row whose trace may have parts in another block is rebuilt
     * as OTLP instead, to be combined with them.
     */
    private static boolean handOverColumns(int[] candidates, Batches batches, RowMaterializer columns,
                                           RowMaterializer otlp, SpanFields fields, ColumnRowReader.GenericLists lists,
                                           boolean relativeSpanStarts, PartsElsewhere partsElsewhere, RowSink sink, Counters counters)
            throws IOException {
        for (int from = 0; from < candidates.length; ) {
            int to = Math.min(candidates.length, from + batches.next());
            List<ColumnTraceData> traces = columns.read(candidates, from, to,
                    (cursors, bytes) -> new ColumnRowReader(cursors, fields, lists, bytes, relativeSpanStarts).read());
            for (int k = 0; k < traces.size(); k++) {
                ColumnTraceData trace = traces.get(k);
                counters.rowsMaterialised++;
                int row = from + k;
                boolean more = partsElsewhere.mayExist(trace.id())
                        ? handOver(otlp.read(candidates, row, row + 1), sink, new Counters())
                        : acceptColumns(trace, sink, counters);
                if (!more) {
                    return false;
                }
            }
            from = to;
        }
        return true;
    }

    /**
     * How many candidates to read at once: few at first (a limited search usually stops within the first), then
     * more (each batch decodes again the part of a page the previous one decoded, unless the condition test has).
     */
    private static final class Batches {
        private int size = FIRST_BATCH;

        int next() {
            int current = size;
            size = Math.min(MAX_WINDOW, 2 * size);
            return current;
        }
    }

    /**
     * Which generic attribute lists the row group's column traces read: a list whose key column is wholly
     * dictionary-encoded without any of the scope's referenced keys is left out (typically: a query on well-known
     * attributes, whose values are in their own columns unless wrongly typed or repeated).
     */
    private static ColumnRowReader.GenericLists genericLists(BackendBlock block, int group, ChunkLayout[] layout,
                                                             DataFile.Reads reads, PageCodec codec, SpanFields fields)
            throws IOException {
        return new ColumnRowReader.GenericLists(
                mayHoldKey(block, group, layout, reads, codec, TraceColumns.SPAN_ATTRS, fields.spanAttributes()),
                mayHoldKey(block, group, layout, reads, codec, TraceColumns.RESOURCE_ATTRS, fields.resourceAttributes()),
                mayHoldKey(block, group, layout, reads, codec, TraceColumns.SCOPE_ATTRS, fields.scopeAttributes()));
    }

    private static boolean mayHoldKey(BackendBlock block, int group, ChunkLayout[] layout, DataFile.Reads reads,
                                      PageCodec codec, TraceColumns.Attrs attrs, Set<String> keys) throws IOException {
        if (keys.isEmpty()) {
            return false;
        }
        ByteArrayDictionary dictionary = new ConditionChunks(block, group, layout, Set.of(attrs.key()), reads, codec)
                .completeDictionary(attrs.key());
        if (dictionary == null) {
            return true;
        }
        for (int id = 0; id < dictionary.size(); id++) {
            if (keys.contains(dictionary.string(id))) {
                return true;
            }
        }
        return false;
    }

    private static boolean acceptColumns(ColumnTraceData trace, RowSink sink, Counters counters) throws IOException {
        counters.rowsFromColumns++;
        return sink.acceptColumns(trace);
    }

    /**
     * Without a filter and for a sink taking OTLP only, every row is rebuilt: streaming whole row groups
     * ({@link BackendBlock#traces()}) costs less per row than placing cursors on chosen rows. (A sink naming its
     * {@link RowSink#spanFields()} gets every row read from those columns, window by window.)
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
        private final ConditionChunks chunks;
        private final ColumnCursor spanColumn;
        private final ColumnCursor traceIdColumn;
        private final PartsElsewhere partsElsewhere;
        private final RowSpans spans = new RowSpans();
        private final long every;
        private final boolean nothingPasses;

        GroupTester(BackendBlock block, int group, ChunkLayout[] layout, DataFile.Reads reads, PageCodec codec,
                    PartsElsewhere partsElsewhere) throws IOException {
            this.partsElsewhere = partsElsewhere;
            Set<Integer> columns = new LinkedHashSet<>();
            columns.add(TraceColumns.SPAN_KIND);
            if (requiredMasks.length > 0) {
                columns.add(TraceColumns.TRACE_ID);
            }
            for (Condition c : tested) {
                List<ConditionProbe> forCondition = new ArrayList<>(probes(c));
                probes.add(forCondition);
                for (ConditionProbe p : forCondition) {
                    for (int column : p.columns()) {
                        columns.add(column);
                    }
                }
            }
            chunks = new ConditionChunks(block, group, layout, columns, reads, codec);
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
            traceIdColumn = requiredMasks.length > 0 ? chunks.cursor(TraceColumns.TRACE_ID) : null;
            every = probes.size() < Long.SIZE ? (1L << probes.size()) - 1 : -1L;
        }

        private static boolean mayPass(ConditionProbe probe, ConditionChunks chunks) {
            try {
                return probe.mayPass(chunks);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Reads, in one coalesced read, the pages of the tested columns holding rows before {@code toRow}. */
        void load(long toRow) throws IOException {
            if (!nothingPasses) {
                chunks.load(toRow);
            }
        }

        /** The rows of {@code [from, to)} with a span that may be in a result; rows must be asked for in order. */
        int[] candidates(int from, int to, Counters counters) throws IOException {
            if (nothingPasses) {
                counters.rowsSkipped += to - from;
                return new int[0];
            }
            chunks.releaseBefore(from);
            chunks.load(to);
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
                boolean candidate = all ? spans.anySpanHasAll(every) : spans.anySpanHasAny();
                if (traceIdColumn != null) {
                    traceIdColumn.nextRow();
                    if (candidate && !spans.meets(requiredMasks, requiredSpans)) {
                        // A part of a trace may lack what the whole trace holds: only a whole trace is left out.
                        candidate = partsElsewhere.mayExist(TraceId.fromBytes(traceIdColumn.nextBytes()));
                    }
                    traceIdColumn.skipRow();
                }
                if (candidate) {
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

    /**
     * The pages of some column chunks of one row group, read as the scan reaches them: {@link #load} reads, in one
     * coalesced read, the pages of every column holding rows up to the end of the next window, so a search that
     * stops early reads only the first pages.
     */
    private static final class ConditionChunks implements ConditionProbe.Chunks, RowMaterializer.DecodedPages {
        private final BackendBlock block;
        private final int group;
        private final ChunkLayout[] layout;
        private final DataFile.Reads reads;
        private final PageCodec codec;
        private final int[] columns;
        private final CoalescedReads.Slice[][] pages = new CoalescedReads.Slice[TraceColumns.COUNT][];
        /** Per column, the pages before this one have been read. */
        private final int[] loaded = new int[TraceColumns.COUNT];
        /** Per column and page, the whole page decoded, kept until the scan passes it ({@link #releaseBefore}). */
        private final ColumnPage[][] decoded = new ColumnPage[TraceColumns.COUNT][];
        /** Per column, the pages before this one have been released. */
        private final int[] released = new int[TraceColumns.COUNT];

        ConditionChunks(BackendBlock block, int group, ChunkLayout[] layout, Set<Integer> columns, DataFile.Reads reads,
                        PageCodec codec) {
            this.block = block;
            this.group = group;
            this.layout = layout;
            this.reads = reads;
            this.codec = codec;
            this.columns = columns.stream().mapToInt(Integer::intValue).toArray();
            for (int column : this.columns) {
                pages[column] = new CoalescedReads.Slice[layout[column].pageCount()];
                decoded[column] = new ColumnPage[layout[column].pageCount()];
            }
        }

        /**
         * The page decoded whole, decoded once for every probe and for the rows handed over; null when the column is
         * not one of these chunks', or the page is not read yet or released.
         */
        @Override
        public ColumnPage decodedPage(int column, int page) throws IOException {
            if (decoded[column] == null || page >= loaded[column] || page < released[column]) {
                return null;
            }
            ColumnPage p = decoded[column][page];
            if (p == null) {
                CoalescedReads.Slice s = pages[column][page];
                p = ColumnPage.decode(layout[column], s.bytes(), s.offset(), s.length(), codec, dictionary(column));
                decoded[column][page] = p;
            }
            return p;
        }

        /** Drops the pages (raw and decoded) holding only rows before {@code row}: the scan has passed them. */
        void releaseBefore(long row) {
            for (int column : columns) {
                ChunkLayout chunk = layout[column];
                int first = chunk.pageCount() == 0 ? 0 : chunk.pageOf(row);
                for (int page = released[column]; page < first; page++) {
                    decoded[column][page] = null;
                    pages[column][page] = null;
                }
                released[column] = Math.max(released[column], first);
            }
        }

        /** Reads the pages not read yet that hold rows before {@code toRow}, of every column together. */
        void load(long toRow) throws IOException {
            List<long[]> wanted = new ArrayList<>(); // {column, page}
            for (int column : columns) {
                ChunkLayout chunk = layout[column];
                int last = chunk.pageCount() == 0 ? -1 : chunk.pageOf(toRow - 1);
                for (int page = loaded[column]; page <= last; page++) {
                    wanted.add(new long[] {column, page});
                }
                loaded[column] = Math.max(loaded[column], last + 1);
            }
            if (wanted.isEmpty()) {
                return;
            }
            long[] offsets = new long[wanted.size()];
            int[] lengths = new int[wanted.size()];
            for (int i = 0; i < wanted.size(); i++) {
                ChunkLayout chunk = layout[(int) wanted.get(i)[0]];
                int page = (int) wanted.get(i)[1];
                offsets[i] = chunk.pageOffsets()[page];
                lengths[i] = chunk.pageLengths()[page];
            }
            CoalescedReads.Slice[] slices = CoalescedReads.read(reads, offsets, lengths, block.dataFile().coalesceGap());
            for (int i = 0; i < wanted.size(); i++) {
                pages[(int) wanted.get(i)[0]][(int) wanted.get(i)[1]] = slices[i];
            }
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
            boolean complete = block.allPagesDictionaryEncoded(group, column, () -> {
                // Once per block and column: the page headers are in the pages, so the whole chunk is read.
                CoalescedReads.Slice whole = CoalescedReads.read(reads, new long[] {chunk.start()},
                        new int[] {Math.toIntExact(chunk.end() - chunk.start())}, 0)[0];
                long base = chunk.start() - whole.offset();
                for (int page = 0; page < chunk.pageCount(); page++) {
                    if (!ColumnPage.isDictionaryEncoded(whole.bytes(), Math.toIntExact(chunk.pageOffsets()[page] - base),
                            chunk.pageLengths()[page])) {
                        return false;
                    }
                }
                return true;
            });
            return complete ? dictionary(column) : null;
        }

        private ByteArrayDictionary dictionary(int column) throws IOException {
            ChunkLayout chunk = layout[column];
            if (chunk.dictionaryLength() == 0) {
                return null;
            }
            ByteArrayDictionary cached = block.cachedDictionary(group, column);
            if (cached != null) {
                return cached;
            }
            CoalescedReads.Slice d = CoalescedReads.read(reads, new long[] {chunk.dictionaryOffset()},
                    new int[] {chunk.dictionaryLength()}, 0)[0];
            return block.dictionaryOf(group, column, chunk, d.bytes(), d.offset(), codec);
        }

        @Override
        public ColumnCursor cursor(int column) throws IOException {
            ChunkLayout chunk = layout[column];
            int[] next = {0};
            return ColumnCursor.overChunk(chunk.column().getMaxDefinitionLevel(), () -> {
                int page = next[0]++;
                if (page == chunk.pageCount()) {
                    return null;
                }
                if (page >= loaded[column]) {
                    load(chunk.firstRows()[page] + 1);
                }
                return decodedPage(column, page);
            });
        }
    }
}
