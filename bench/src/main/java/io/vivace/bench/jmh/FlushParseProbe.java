package io.vivace.bench.jmh;

import static io.vivace.bench.jmh.ProbeSupport.intArg;
import static io.vivace.bench.jmh.ProbeSupport.median;

import com.sun.management.ThreadMXBean;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.block.BlockConfig;
import io.vivace.common.block.BlockMeta;
import io.vivace.common.block.BlockWriter;
import io.vivace.common.block.TraceRecord;
import io.vivace.common.model.TraceCombiner;
import io.vivace.common.model.TracesDataParser;
import io.vivace.common.storage.LocalBackend;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The flush's per-trace work as {@code Ingester.flush} does it (encoded trace → parse → combine → block writer), with
 * the two parsers side by side in one JVM: protobuf's {@code TracesData.parseFrom} and {@link TracesDataParser}.
 * Rounds alternate between them, so both see the same JIT state and the same machine load; CPU time and heap
 * allocation of the calling thread per span, minimum and median over the second half of each parser's rounds.
 *
 * <p>Usage: {@code FlushParseProbe [traces=12000] [rounds=16]}
 */
public final class FlushParseProbe {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private FlushParseProbe() {
    }

    private interface Parse {
        TracesData parse(byte[] bytes) throws IOException;
    }

    public static void main(String[] args) throws IOException {
        int traces = intArg(args, "traces", 12_000);
        int rounds = intArg(args, "rounds", 16);
        List<TraceRecord> sorted = BlockCpuProbe.syntheticTraces(traces);
        byte[][] encoded = sorted.stream().map(t -> t.trace().toByteArray()).toArray(byte[][]::new);
        long spans = sorted.stream().mapToLong(t -> t.trace().getResourceSpansList().stream()
                .mapToLong(rs -> rs.getScopeSpansList().stream().mapToLong(ss -> ss.getSpansCount()).sum()).sum()).sum();
        String[] names = {"protobuf parseFrom", "TracesDataParser"};
        Parse[] parsers = {TracesData::parseFrom, TracesDataParser::parse};
        double[][] cpu = new double[2][rounds];
        double[][] allocated = new double[2][rounds];
        Path dir = Files.createTempDirectory("vivace-flush-parse-probe");
        try {
            LocalBackend backend = new LocalBackend(dir.resolve("blocks"));
            BlockWriter writer = new BlockWriter(BlockConfig.DEFAULT, dir.resolve("scratch"));
            for (int round = 0; round < rounds; round++) {
                for (int p = 0; p < 2; p++) {
                    long cpuBefore = THREADS.getCurrentThreadCpuTime();
                    long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
                    BlockMeta meta = writer.write(backend, "probe", UUID.randomUUID(), 0, records(sorted, encoded, parsers[p]));
                    cpu[p][round] = (THREADS.getCurrentThreadCpuTime() - cpuBefore) / 1e3 / spans;
                    allocated[p][round] = (double) (THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore) / spans;
                    backend.delete(meta.metaKey());
                    backend.delete(meta.dataKey());
                }
            }
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        for (int p = 0; p < 2; p++) {
            double[] c = Arrays.copyOfRange(cpu[p], rounds / 2, rounds);
            double[] a = Arrays.copyOfRange(allocated[p], rounds / 2, rounds);
            System.out.printf(Locale.ROOT, "%-18s parse+combine+write: min %.2f, median %.2f us CPU/span; %.0f bytes allocated/span (median)"
                            + " (last %d of %d rounds of %d spans)%n",
                    names[p], Arrays.stream(c).min().orElse(0), median(c), median(a), c.length, rounds, spans);
        }
    }

    private static Iterator<TraceRecord> records(List<TraceRecord> sorted, byte[][] encoded, Parse parser) {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < encoded.length;
            }

            @Override
            public TraceRecord next() {
                int i = next++;
                try {
                    // A copy, as the flush reads each trace's bytes from the head block file into a fresh array.
                    byte[] bytes = encoded[i].clone();
                    return new TraceRecord(sorted.get(i).id(), TraceCombiner.combine(List.of(parser.parse(bytes))));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
    }
}
