package io.vivace.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ThreadGroupCpuTest {
    @Test
    void groupsDropTrailingNumbers() {
        assertEquals("armeria-common-worker-epoll", ThreadGroupCpu.group("armeria-common-worker-epoll-3-1"));
        assertEquals("C2 CompilerThread", ThreadGroupCpu.group("C2 CompilerThread0"));
        assertEquals("GC Thread", ThreadGroupCpu.group("GC Thread#3"));
        assertEquals("main", ThreadGroupCpu.group("main"));
    }

    @Test
    void countsTheCpuOfAThreadStartedBetweenTwoSnapshots() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux /proc");
        ThreadGroupCpu.Snapshot before = ThreadGroupCpu.Snapshot.ofThisProcess();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Thread busy = new Thread(() -> {
            long spin = 0;
            while (threads.getCurrentThreadCpuTime() < 200_000_000L) spin++; // 200 ms of CPU
            if (spin == 42) System.out.print("");
        }, "cpu-probe-busy-7");
        ThreadGroupCpu.Snapshot during;
        busy.start();
        try {
            while (threads.getThreadCpuTime(busy.getId()) < 150_000_000L) Thread.onSpinWait();
            during = ThreadGroupCpu.Snapshot.ofThisProcess(); // read while the thread is alive
        } finally {
            busy.join();
        }

        ThreadGroupCpu cpu = during.since(before);
        double busySeconds = cpu.secondsByGroup().getOrDefault("cpu-probe-busy", 0.0);
        assertTrue(busySeconds >= 0.1 && busySeconds <= cpu.totalSeconds(), cpu.toString());
    }
}
