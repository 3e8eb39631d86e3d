package io.vivace.bench.jmh;

import static io.vivace.bench.jmh.ProbeSupport.deleteRecursively;
import static io.vivace.bench.jmh.ProbeSupport.intArg;
import static io.vivace.bench.jmh.ProbeSupport.median;

import com.sun.management.ThreadMXBean;
import io.vivace.distributor.Distributor;
import io.vivace.ingester.Ingester;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The CPU time and heap allocation of the ingester's block flush (head block to Parquet block, the
 * {@code ingester-flush} thread), on the load tool's synthetic traces pushed through the real distributor and
 * ingester as {@link IngestCpuProbe} does. Each round starts a fresh ingester, pushes every request, then cuts
 * and flushes one block; the flush thread's CPU and allocated bytes are read from {@code ThreadMXBean}. The
 * minimum and median are over the second half of the rounds, after the JIT has settled.
 *
 * <p>Usage: {@code FlushCpuProbe [traces=12000] [batchSpans=1000] [rounds=10]}
 */
public final class FlushCpuProbe {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private FlushCpuProbe() {
    }

    public static void main(String[] args) throws IOException {
        int traces = intArg(args, "traces", 12_000);
        int batchSpans = intArg(args, "batchSpans", 1000);
        int rounds = intArg(args, "rounds", 10);
        List<byte[]> requests = IngestCpuProbe.requests(traces, batchSpans);
        long spans = (long) traces * IngestCpuProbe.SPANS_PER_TRACE;
        double[] cpuMicros = new double[rounds];
        double[] allocatedBytes = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            Path dir = Files.createTempDirectory("vivace-flush-probe");
            try {
                InProcessIngest ingest = InProcessIngest.start(dir);
                Ingester ingester = ingest.ingester();
                Distributor distributor = ingest.distributor();
                List<CompletableFuture<Void>> acks = new ArrayList<>(requests.size());
                for (byte[] request : requests) {
                    acks.add(distributor.push("probe", request));
                }
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
                // The flush pool starts its thread on the first flush: every "ingester-flush" thread alive before is another round's.
                List<Long> earlier = flushThreads();
                ingester.flushAll();
                List<Long> flushers = flushThreads();
                flushers.removeAll(earlier);
                long cpu = 0;
                long allocated = 0;
                for (long id : flushers) {
                    cpu += THREADS.getThreadCpuTime(id);
                    allocated += THREADS.getThreadAllocatedBytes(id);
                }
                cpuMicros[round] = cpu / 1e3 / spans;
                allocatedBytes[round] = (double) allocated / spans;
                System.out.printf(Locale.ROOT, "round %d: flush %.2f us CPU/span, %.0f bytes allocated/span%n", round,
                        cpuMicros[round], allocatedBytes[round]);
                ingester.close();
            } finally {
                deleteRecursively(dir);
            }
        }
        double[] cpu = Arrays.copyOfRange(cpuMicros, rounds / 2, rounds);
        double[] alloc = Arrays.copyOfRange(allocatedBytes, rounds / 2, rounds);
        System.out.printf(Locale.ROOT, "flush: min %.2f, median %.2f us CPU/span; %.0f bytes allocated/span (median)"
                        + " (last %d of %d rounds of %d spans)%n",
                Arrays.stream(cpu).min().orElse(0), median(cpu), median(alloc), cpu.length, rounds, spans);
    }

    private static List<Long> flushThreads() {
        List<Long> ids = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("ingester-flush") && t.isAlive()) {
                ids.add(t.threadId());
            }
        }
        return ids;
    }
}
