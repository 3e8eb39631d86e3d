package io.vivace.bench.jmh;

import static io.vivace.bench.jmh.ProbeSupport.deleteRecursively;
import static io.vivace.bench.jmh.ProbeSupport.intArg;
import static io.vivace.bench.jmh.ProbeSupport.median;

import io.vivace.bench.load.SyntheticTraces;
import io.vivace.distributor.Distributor;
import io.vivace.ingester.Ingester;
import io.vivace.ingester.wal.WriteAheadLog;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The CPU time (not wall time: the machine is shared) of the ingest path without the network: encoded OTLP export
 * requests of the load tool's synthetic traces go through {@link Distributor#push} into an {@link Ingester} with a
 * real WAL ({@code fsync: never}, so the writer thread's figure is the record framing, not the disk). Prints µs of
 * CPU per span of the pushing thread (validation, regrouping, live traces, WAL record) and of the WAL writer thread.
 * Each round starts a fresh ingester in a fresh folder; the minimum and median are over the second half of the
 * rounds, after the JIT has settled. Other processes only ever add to a thread's CPU time, so the minimum is the
 * steadier figure on a busy machine.
 *
 * <p>Usage: {@code IngestCpuProbe [traces=20000] [batchSpans=1000] [rounds=10]}
 */
public final class IngestCpuProbe {
    private static final long BASE_TIME_MS = 1_767_225_600_000L;
    static final int SPANS_PER_TRACE = 20;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private IngestCpuProbe() {
    }

    public static void main(String[] args) throws IOException {
        int traces = intArg(args, "traces", 20_000);
        int batchSpans = intArg(args, "batchSpans", 1000);
        int rounds = intArg(args, "rounds", 10);
        List<byte[]> requests = requests(traces, batchSpans);
        long spans = (long) traces * SPANS_PER_TRACE;
        double[] pushMicros = new double[rounds];
        double[] walMicros = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            Path dir = Files.createTempDirectory("vivace-ingest-probe");
            try {
                InProcessIngest ingest = InProcessIngest.start(dir);
                WriteAheadLog wal = ingest.wal();
                Distributor distributor = ingest.distributor();
                long walBefore = walWriterCpu();
                long before = THREADS.getCurrentThreadCpuTime();
                List<CompletableFuture<Void>> acks = new ArrayList<>(requests.size());
                for (byte[] request : requests) {
                    acks.add(distributor.push("probe", request));
                }
                pushMicros[round] = (THREADS.getCurrentThreadCpuTime() - before) / 1e3 / spans;
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
                walMicros[round] = (walWriterCpu() - walBefore) / 1e3 / spans;
                wal.close(); // not ingester.close(): that would write every trace into a block
            } finally {
                deleteRecursively(dir);
            }
        }
        double[] push = Arrays.copyOfRange(pushMicros, rounds / 2, rounds);
        double[] walw = Arrays.copyOfRange(walMicros, rounds / 2, rounds);
        System.out.printf(Locale.ROOT, "push thread: min %.2f, median %.2f us CPU/span; WAL writer: min %.2f, median %.2f us CPU/span"
                        + " (last %d of %d rounds of %d spans in %d requests)%n",
                Arrays.stream(push).min().orElse(0), median(push), Arrays.stream(walw).min().orElse(0), median(walw),
                push.length, rounds, spans, requests.size());
    }

    static List<byte[]> requests(int traces, int batchSpans) {
        SyntheticTraces generator = new SyntheticTraces(new SyntheticTraces.Config(7, SPANS_PER_TRACE, 8, BASE_TIME_MS));
        List<byte[]> requests = new ArrayList<>();
        List<SyntheticTraces.GeneratedSpan> pending = new ArrayList<>(batchSpans);
        for (long i = 0; i < traces; i++) {
            for (SyntheticTraces.GeneratedSpan span : generator.trace(i)) {
                pending.add(span);
                if (pending.size() == batchSpans) {
                    requests.add(SyntheticTraces.toRequest(pending).toByteArray());
                    pending = new ArrayList<>(batchSpans);
                }
            }
        }
        if (!pending.isEmpty()) {
            requests.add(SyntheticTraces.toRequest(pending).toByteArray());
        }
        return requests;
    }

    /** CPU time of the live WAL writer threads (named "wal-writer ..."). */
    private static long walWriterCpu() {
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("wal-writer") && t.isAlive()) {
                sum += Math.max(0, THREADS.getThreadCpuTime(t.threadId()));
            }
        }
        return sum;
    }
}
