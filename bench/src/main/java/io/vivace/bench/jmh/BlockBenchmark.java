package io.vivace.bench.jmh;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.bench.load.SyntheticTraces;
import io.vivace.common.block.BackendBlock;
import io.vivace.common.block.BlockConfig;
import io.vivace.common.block.BlockMeta;
import io.vivace.common.block.BlockWriter;
import io.vivace.common.block.TraceRecord;
import io.vivace.common.model.TraceId;
import io.vivace.common.storage.LocalBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The block path on local disk: cutting a block from whole traces ({@link #writeBlock}, per block of
 * {@code traces} x 20 spans) and finding one trace by ID in a flushed block ({@link #findTraceById}, bloom shard,
 * row group, TraceID pages, one row). The traces are the load tool's synthetic ones.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class BlockBenchmark {
    private static final long BASE_TIME_MS = 1_767_225_600_000L;
    private static final int SPANS_PER_TRACE = 20;

    @Param({"12000"})
    public int traces;

    /** Most traces in one Parquet page: the lookup decodes one page per column. */
    @Param({"1000"})
    public int pageRows;

    /** Largest Parquet data and dictionary page, before compression. */
    @Param({"262144"})
    public int pageBytes;

    private Path dir;
    private LocalBackend backend;
    private BlockWriter writer;
    private List<TraceRecord> sorted;
    private BackendBlock block;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        SyntheticTraces generator = new SyntheticTraces(new SyntheticTraces.Config(7, SPANS_PER_TRACE, 8, BASE_TIME_MS));
        sorted = new ArrayList<>(traces);
        for (int i = 0; i < traces; i++) {
            TracesData data = TracesData.newBuilder()
                    .addAllResourceSpans(SyntheticTraces.toRequest(generator.trace(i)).getResourceSpansList()).build();
            sorted.add(new TraceRecord(TraceId.fromBytes(generator.traceId(i)), data));
        }
        sorted.sort(Comparator.comparing(TraceRecord::id));
        dir = Files.createTempDirectory("vivace-block-bench");
        backend = new LocalBackend(dir.resolve("blocks"));
        writer = new BlockWriter(BlockConfig.DEFAULT.withPageRowCountLimit(pageRows).withPageSizeBytes(pageBytes), dir.resolve("scratch"));
        BlockMeta meta = writer.write(backend, "bench", UUID.randomUUID(), 0, sorted.iterator());
        block = BackendBlock.open(backend, meta);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    @Warmup(iterations = 2, time = 1)
    @Measurement(iterations = 5, time = 1)
    public BlockMeta writeBlock() throws IOException {
        BlockMeta meta = writer.write(backend, "bench", UUID.randomUUID(), 0, sorted.iterator());
        backend.delete(meta.metaKey());
        return meta;
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public TracesData findTraceById() throws IOException {
        TraceRecord wanted = sorted.get(next);
        next = (next + 7919) % sorted.size();
        return block.findTraceById(wanted.id()).orElseThrow();
    }
}
