package io.vivace.common.reload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs reload tasks (token files, overrides files) on one daemon thread at their own periods. A failing task
 * is logged and tried again at its next period; what it loaded before stays in force.
 */
public final class PeriodicReloader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PeriodicReloader.class);

    /** Something that can be reloaded; returns whether anything changed. */
    @FunctionalInterface
    public interface Task {
        boolean reload() throws Exception;
    }

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "config-reload");
        t.setDaemon(true);
        return t;
    });
    private final List<String> names = new ArrayList<>();

    public synchronized void schedule(String name, Duration period, Task task) {
        long millis = Math.max(1, period.toMillis());
        names.add(name);
        executor.scheduleWithFixedDelay(() -> run(name, task), millis, millis, TimeUnit.MILLISECONDS);
    }

    private static void run(String name, Task task) {
        try {
            if (task.reload()) {
                log.info("reloaded {}", name);
            }
        } catch (Exception e) {
            log.warn("reloading {} failed, keeping the previous version: {}", name, e.getMessage());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
