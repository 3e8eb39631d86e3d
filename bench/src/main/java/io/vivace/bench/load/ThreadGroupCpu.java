package io.vivace.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU seconds a process's threads spent, by thread group, between two snapshots of {@code /proc/<pid>/task/*\/stat}
 * (Linux only; elsewhere every snapshot is empty). Unlike {@code ThreadMXBean} it sees the JVM's own threads: the JIT
 * compilers and the garbage collector, a large part of a freshly started JVM's CPU. A group is the thread name without
 * trailing digits, dashes and spaces ({@code armeria-common-worker-epoll-3-1} → {@code armeria-common-worker-epoll};
 * Linux keeps only the first 15 characters of a name).
 */
record ThreadGroupCpu(Map<String, Double> secondsByGroup) {
    private static final double TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux the JDK supports

    /** CPU ticks of each thread of {@code pid} now. */
    record Snapshot(Map<String, Sample> byThread) {
        static Snapshot of(long pid) {
            Map<String, Sample> byThread = new HashMap<>();
            Path tasks = Path.of("/proc", Long.toString(pid), "task");
            if (!Files.isDirectory(tasks)) return new Snapshot(byThread);
            try (Stream<Path> list = Files.list(tasks)) {
                list.forEach(task -> {
                    try {
                        String name = Files.readString(task.resolve("comm")).strip();
                        String stat = Files.readString(task.resolve("stat"));
                        // After the parenthesised name: field 3 (state) first; utime and stime are fields 14 and 15.
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                        byThread.put(task.getFileName().toString(), new Sample(group(name), ticks));
                    } catch (IOException | RuntimeException threadEnded) {
                        // the thread ended between listing and reading: its CPU is lost to this snapshot
                    }
                });
            } catch (IOException processEnded) {
                return new Snapshot(Map.of());
            }
            return new Snapshot(byThread);
        }

        static Snapshot ofThisProcess() {
            return of(ProcessHandle.current().pid());
        }

        /** CPU since {@code before}; a thread started in between counts from zero. */
        ThreadGroupCpu since(Snapshot before) {
            Map<String, Double> seconds = new HashMap<>();
            byThread.forEach((thread, sample) -> {
                Sample start = before.byThread.get(thread);
                long ticks = sample.ticks() - (start == null ? 0 : start.ticks());
                if (ticks > 0) seconds.merge(sample.group(), ticks / TICKS_PER_SECOND, Double::sum);
            });
            Map<String, Double> largestFirst = new LinkedHashMap<>();
            seconds.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> largestFirst.put(e.getKey(), e.getValue()));
            return new ThreadGroupCpu(largestFirst);
        }
    }

    record Sample(String group, long ticks) {}

    static final ThreadGroupCpu NONE = new ThreadGroupCpu(Map.of());

    static String group(String threadName) {
        return threadName.replaceAll("[-#0-9 ]+$", "");
    }

    double totalSeconds() {
        return secondsByGroup.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** The JIT compiler threads' share ({@code C1 CompilerThread}, {@code C2 CompilerThread}). */
    double compilerSeconds() {
        return secondsByGroup.entrySet().stream().filter(e -> e.getKey().contains("CompilerThre"))
            .mapToDouble(Map.Entry::getValue).sum();
    }

    /** One line: total and total without the compilers, in µs per span. */
    String perSpan(long spans) {
        return String.format(Locale.ROOT, "%.2f s, %.2f us/span (%.2f without compiler threads)", totalSeconds(),
            micros(totalSeconds(), spans), micros(totalSeconds() - compilerSeconds(), spans));
    }

    /** One indented line per group, largest first. */
    void printGroups(PrintStream out, long spans) {
        secondsByGroup.forEach((group, seconds) ->
            out.printf(Locale.ROOT, "  %6.2f us/span  %s%n", micros(seconds, spans), group));
    }

    private static double micros(double seconds, long spans) {
        return spans == 0 ? 0 : seconds * 1e6 / spans;
    }
}
