package io.vivace.bench.jmh;

import io.vivace.bench.load.SyntheticTraces;
import io.vivace.common.block.BackendBlock;
import io.vivace.common.block.BlockMeta;
import io.vivace.common.model.TraceId;
import io.vivace.common.storage.LocalBackend;
import io.vivace.common.traceql.TraceQL;
import io.vivace.common.traceql.TraceQLQuery;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Trace-by-ID lookups and limited searches on the same traces stored in blocks of different layouts (blocks that
 * {@link SearchCpuProbe} wrote into each {@code dir}, e.g. with different {@code pageMinEntries=}), run interleaved
 * — each lookup or search on every layout in turn — in one JVM with one reader, so a shared machine's changing load
 * falls on all layouts alike. CPU time of the calling thread.
 *
 * <p>Usage: {@code InterleavedLayoutProbe dirs=/tmp/a,/tmp/b [reps=31] [lookups=1240] [traces=20000] [spans=12]}
 * ({@code traces} and {@code spans} as the blocks were written with: the lookups look up those traces).
 */
public final class InterleavedLayoutProbe {
    private static final long BASE_TIME_MS = 1_767_225_600_000L;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private InterleavedLayoutProbe() {
    }

    public static void main(String[] args) throws Exception {
        String[] dirs = stringArg(args, "dirs", "").split(",");
        int reps = Integer.parseInt(stringArg(args, "reps", "31"));
        int lookups = Integer.parseInt(stringArg(args, "lookups", "1240"));
        int traces = Integer.parseInt(stringArg(args, "traces", "20000"));
        int spans = Integer.parseInt(stringArg(args, "spans", "12"));
        List<List<BackendBlock>> layouts = new ArrayList<>();
        for (String dir : dirs) {
            layouts.add(open(Path.of(dir)));
        }
        System.out.printf(Locale.ROOT, "layouts: %s; CPU ms, median [p90 for lookups, min for searches]%n", String.join(" | ", dirs));
        SyntheticTraces generator = new SyntheticTraces(new SyntheticTraces.Config(7, spans, 12, BASE_TIME_MS));
        double[][] millis = new double[layouts.size()][lookups];
        for (int round = 0; round < 2; round++) { // the first round warms the JIT and the caches
            for (int i = 0; i < lookups; i++) {
                TraceId id = TraceId.fromBytes(generator.traceId((i * 7919L) % traces));
                for (int l = 0; l < layouts.size(); l++) {
                    long before = THREADS.getCurrentThreadCpuTime();
                    layouts.get(l).getFirst().findTraceById(id).orElseThrow();
                    millis[l][i] = (THREADS.getCurrentThreadCpuTime() - before) / 1e6;
                }
            }
        }
        print("trace by ID (first block, " + lookups + " lookups)", millis, lookups * 9 / 10);
        for (String text : SearchCpuProbe.QUERIES) {
            TraceQLQuery query = TraceQL.parse(text);
            millis = new double[layouts.size()][reps];
            for (int r = -5; r < reps; r++) { // 5 rounds of warm-up
                for (int l = 0; l < layouts.size(); l++) {
                    long before = THREADS.getCurrentThreadCpuTime();
                    SearchCpuProbe.run(query, layouts.get(l), 20, true, true);
                    if (r >= 0) {
                        millis[l][r] = (THREADS.getCurrentThreadCpuTime() - before) / 1e6;
                    }
                }
            }
            print(text + " @20", millis, 0);
        }
    }

    private static void print(String what, double[][] millis, int second) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-66s", what.length() > 66 ? what.substring(0, 66) : what));
        for (double[] m : millis) {
            Arrays.sort(m);
            line.append(String.format(Locale.ROOT, "  %6.3f [%6.3f]", m[m.length / 2], m[second]));
        }
        System.out.println(line);
    }

    private static List<BackendBlock> open(Path dir) throws IOException {
        LocalBackend backend = new LocalBackend(dir.resolve("blocks"));
        List<BackendBlock> blocks = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir.resolve("blocks").resolve("probe"))) {
            for (Path meta : files.filter(p -> p.getFileName().toString().equals("meta.json")).sorted().toList()) {
                blocks.add(BackendBlock.open(backend, BlockMeta.fromJson(Files.readAllBytes(meta))));
            }
        }
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("no blocks in " + dir + " (write them with SearchCpuProbe dir=" + dir + ")");
        }
        return blocks;
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
