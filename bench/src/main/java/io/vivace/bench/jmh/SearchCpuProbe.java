package io.vivace.bench.jmh;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.bench.load.SearchQueries;
import io.vivace.bench.load.SyntheticTraces;
import io.vivace.common.block.BackendBlock;
import io.vivace.common.block.BlockConfig;
import io.vivace.common.block.BlockMeta;
import io.vivace.common.block.BlockWriter;
import io.vivace.common.block.ColumnarSearch;
import io.vivace.common.block.TraceRecord;
import io.vivace.common.model.TraceId;
import io.vivace.common.query.BlockTraceScanner;
import io.vivace.common.query.ColumnarBlockScanner;
import io.vivace.common.query.OtlpTraceData;
import io.vivace.common.query.TimeWindow;
import io.vivace.common.query.TraceVisitor;
import io.vivace.common.storage.LocalBackend;
import io.vivace.common.traceql.FetchConditions;
import io.vivace.common.traceql.ResultTrace;
import io.vivace.common.traceql.SearchEngine;
import io.vivace.common.traceql.SpanFields;
import io.vivace.common.traceql.TraceQL;
import io.vivace.common.traceql.TraceQLQuery;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The CPU time (not wall time: the machine is shared) of TraceQL searches over flushed blocks of the load tool's
 * synthetic traces, with the columnar search ("after", {@link ColumnarBlockScanner}) and the full-materialisation scan
 * ("before", {@link BlockTraceScanner}), both followed by the engine on every trace handed over, as the query path
 * does. Each query runs with {@code limit=20} (what Grafana asks for) and with no limit (the full scan). The columnar
 * search hands the engine traces read from only the columns the query needs ({@code model=columns}, what the query
 * path does) or every candidate rebuilt as OTLP ({@code model=otlp}, the path before decision 0504).
 *
 * <p>Usage: {@code SearchCpuProbe [dir=/tmp/vivace-search-probe] [blocks=10] [traces=20000] [spans=12] [reps=5]
 * [fullReps=1] [beforeBlocks=1] [model=columns] [skipBefore=false] [query=...] [pageMinEntries=1000]} ({@code fullReps=0}: only the
 * columnar search with limit 20; {@code skipBefore=true}: no full-materialisation runs). Blocks are written once into
 * {@code dir} and reused by later runs.
 */
public final class SearchCpuProbe {
    private static final long BASE_TIME_MS = 1_767_225_600_000L;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The same shapes as the load tool's search mode, so scanner and end-to-end figures line up. */
    static final List<String> QUERIES = SearchQueries.DEFAULT;

    private SearchCpuProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(stringArg(args, "dir", "/tmp/vivace-search-probe"));
        int blockCount = intArg(args, "blocks", 10);
        int tracesPerBlock = intArg(args, "traces", 20_000);
        int spansPerTrace = intArg(args, "spans", 12);
        int reps = intArg(args, "reps", 5);
        int fullReps = intArg(args, "fullReps", 1);
        int beforeBlocks = intArg(args, "beforeBlocks", 1);
        String only = stringArg(args, "query", null);
        boolean columns = !stringArg(args, "model", "columns").equals("otlp");
        boolean skipBefore = Boolean.parseBoolean(stringArg(args, "skipBefore", "false"));
        // Pages of blocks written by this run (BlockConfig.pageMinEntryCount): to measure the trade.
        BlockConfig config = BlockConfig.DEFAULT.withPageMinEntryCount(intArg(args, "pageMinEntries", BlockConfig.DEFAULT.pageMinEntryCount()));

        List<BackendBlock> blocks = openOrWrite(dir, blockCount, tracesPerBlock, spansPerTrace, config);
        long spans = (long) blockCount * tracesPerBlock * spansPerTrace;
        System.out.printf(Locale.ROOT, "dataset: %d blocks, %d traces, %d spans (%d spans per trace), %.1f MB%n",
                blocks.size(), (long) blockCount * tracesPerBlock, spans, spansPerTrace,
                blocks.stream().mapToLong(b -> b.meta().size()).sum() / 1e6);
        List<BackendBlock> beforeSet = blocks.subList(0, Math.min(beforeBlocks, blocks.size()));

        // Warm-up: every code path once (JIT), outside the measurements.
        for (String text : QUERIES) {
            TraceQLQuery query = TraceQL.parse(text);
            run(query, beforeSet, 20, true, columns);
            if (!skipBefore) {
                run(query, beforeSet, 20, false, false);
            }
        }
        run(TraceQL.parse("{ }"), beforeSet, Integer.MAX_VALUE, true, columns);
        System.out.println("model: " + (columns ? "columns (traces read from the query's columns)" : "otlp (candidates rebuilt as OTLP)"));
        System.out.println("CPU ms per query (limit 20: median of reps, min in brackets; full: median of fullReps); 'full' = no limit, 'before full' over "
                + beforeSet.size() + " block(s) of " + (long) tracesPerBlock * spansPerTrace + " spans");
        System.out.printf(Locale.ROOT, "%-78s %9s %9s %11s %11s %11s %9s %7s %14s%n", "query", "matches", "after@20",
                "before@20", "after full", "before full", "speedup", "rebuilt", "Mspans/s/core");
        for (String text : QUERIES) {
            if (only != null && !text.equals(only)) {
                continue;
            }
            TraceQLQuery query = TraceQL.parse(text);
            Run after20 = measure(reps, () -> run(query, blocks, 20, true, columns));
            if (fullReps == 0) { // profiling the limited search alone
                System.out.printf(Locale.ROOT, "%-78s %9s %9s  (%d rows tested, %d handed over)%n", text, "",
                        ms(after20), after20.result.rowsTested, after20.result.rebuilt);
                continue;
            }
            Run afterFull = measure(fullReps, () -> run(query, blocks, Integer.MAX_VALUE, true, columns));
            if (skipBefore) {
                System.out.printf(Locale.ROOT, "%-78s %9d %9s %11s %11s %11s %9s %7d %14.1f%n", text, afterFull.result.matches,
                        ms(after20), "-", ms(afterFull), "-", "-", afterFull.result.rebuilt,
                        spans / (afterFull.medianMillis / 1e3) / 1e6);
                continue;
            }
            Run before20 = measure(reps, () -> run(query, blocks, 20, false, false));
            Run beforeFull = measure(fullReps, () -> run(query, beforeSet, Integer.MAX_VALUE, false, false));
            double beforeFullAllBlocks = beforeFull.medianMillis * blocks.size() / beforeSet.size();
            System.out.printf(Locale.ROOT, "%-78s %9d %9s %11s %11s %11s %8.1fx %7d %14.1f%n", text, afterFull.result.matches,
                    ms(after20), ms(before20), ms(afterFull), String.format(Locale.ROOT, "%.0f", beforeFullAllBlocks),
                    beforeFullAllBlocks / afterFull.medianMillis, afterFull.result.rebuilt,
                    spans / (afterFull.medianMillis / 1e3) / 1e6);
        }
        for (BackendBlock b : blocks) {
            b.close();
        }
    }

    private static String ms(Run r) {
        return String.format(Locale.ROOT, "%.1f [%.1f]", r.medianMillis, r.minMillis);
    }

    private record Result(int matches, long rebuilt, long rowsTested) {
    }

    private record Run(double medianMillis, double minMillis, Result result) {
    }

    private interface Search {
        Result run() throws IOException;
    }

    private static Run measure(int reps, Search search) throws IOException {
        double[] millis = new double[reps];
        Result result = null;
        for (int i = 0; i < reps; i++) {
            long before = THREADS.getCurrentThreadCpuTime();
            result = search.run();
            millis[i] = (THREADS.getCurrentThreadCpuTime() - before) / 1e6;
        }
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        return new Run(sorted[reps / 2], sorted[0], result);
    }

    /** One search as the query path runs it: the scan, then the engine on each trace handed over, until the limit. */
    static Result run(TraceQLQuery query, List<BackendBlock> blocks, int limit, boolean columnar, boolean columns)
            throws IOException {
        SearchEngine engine = new SearchEngine(query);
        FetchConditions conditions = query.fetchConditions();
        SpanFields fields = columns ? SpanFields.of(query) : null;
        int[] matches = {0};
        long[] visited = {0};
        TraceVisitor visitor = new TraceVisitor() {
            @Override
            public boolean visit(TracesData trace) {
                visited[0]++;
                if (engine.evaluate(OtlpTraceData.of(trace)).isPresent()) {
                    matches[0]++;
                }
                return matches[0] < limit;
            }

            @Override
            public FetchConditions fetchConditions() {
                return conditions;
            }

            @Override
            public SpanFields spanFields() {
                return fields;
            }

            @Override
            public boolean visitColumns(ResultTrace trace) {
                visited[0]++;
                if (engine.evaluate(trace).isPresent()) {
                    matches[0]++;
                }
                return matches[0] < limit;
            }

            @Override
            public boolean wantsMore() {
                return matches[0] < limit;
            }
        };
        if (columnar) {
            ColumnarSearch.Counters counters = ColumnarBlockScanner.scan(blocks, TimeWindow.ALL, new HashSet<>(), visitor);
            return new Result(matches[0], counters.rowsMaterialised, counters.rowsScanned);
        }
        BlockTraceScanner.scan(blocks, TimeWindow.ALL, new HashSet<>(), visitor);
        return new Result(matches[0], visited[0], visited[0]);
    }

    private static List<BackendBlock> openOrWrite(Path dir, int blockCount, int tracesPerBlock, int spansPerTrace,
                                                  BlockConfig config) throws IOException {
        LocalBackend backend = new LocalBackend(dir.resolve("blocks"));
        Path tenantDir = dir.resolve("blocks").resolve("probe");
        if (!Files.isDirectory(tenantDir)) {
            long before = THREADS.getCurrentThreadCpuTime();
            write(dir, blockCount, tracesPerBlock, spansPerTrace, config);
            System.out.printf(Locale.ROOT, "wrote %d blocks in %.1f s CPU%n", blockCount, (THREADS.getCurrentThreadCpuTime() - before) / 1e9);
        }
        List<BlockMeta> metas = new ArrayList<>();
        if (Files.isDirectory(tenantDir)) {
            try (Stream<Path> files = Files.walk(tenantDir)) {
                for (Path meta : files.filter(p -> p.getFileName().toString().equals("meta.json")).sorted().toList()) {
                    metas.add(BlockMeta.fromJson(Files.readAllBytes(meta)));
                }
            }
        }
        if (metas.size() != blockCount || metas.stream().anyMatch(m -> m.totalObjects() != tracesPerBlock)) {
            throw new IllegalStateException(metas.isEmpty() ? "no blocks" : "blocks in " + dir + " differ from the arguments: delete the folder");
        }
        List<BackendBlock> blocks = new ArrayList<>();
        for (BlockMeta meta : metas) {
            blocks.add(BackendBlock.open(backend, meta));
        }
        return blocks;
    }

    /** Writes the dataset: block b holds synthetic traces [b * traces, (b + 1) * traces). */
    static void write(Path dir, int blockCount, int tracesPerBlock, int spansPerTrace, BlockConfig config) throws IOException {
        LocalBackend backend = new LocalBackend(dir.resolve("blocks"));
        BlockWriter writer = new BlockWriter(config, dir.resolve("scratch"));
        SyntheticTraces generator = new SyntheticTraces(new SyntheticTraces.Config(7, spansPerTrace, 12, BASE_TIME_MS));
        for (int b = 0; b < blockCount; b++) {
            List<TraceRecord> sorted = new ArrayList<>(tracesPerBlock);
            for (long i = (long) b * tracesPerBlock; i < (long) (b + 1) * tracesPerBlock; i++) {
                TracesData data = TracesData.newBuilder()
                        .addAllResourceSpans(SyntheticTraces.toRequest(generator.trace(i)).getResourceSpansList()).build();
                sorted.add(new TraceRecord(TraceId.fromBytes(generator.traceId(i)), data));
            }
            sorted.sort(Comparator.comparing(TraceRecord::id));
            writer.write(backend, "probe", UUID.randomUUID(), 0, sorted.iterator());
        }
    }

    private static int intArg(String[] args, String name, int defaultValue) {
        String v = stringArg(args, name, null);
        return v == null ? defaultValue : Integer.parseInt(v);
    }

    private static String stringArg(String[] args, String name, String defaultValue) {
        for (String arg : args) {
            if (arg.startsWith(name + "=")) {
                return arg.substring(name.length() + 1);
            }
        }
        return defaultValue;
    }
}
