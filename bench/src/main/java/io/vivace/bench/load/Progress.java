package io.vivace.bench.load;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Prints one progress line every interval on a daemon thread; an interval of zero or less prints nothing. */
final class Progress {
    private Progress() {}

    interface Line {
        String next();
    }

    static ScheduledExecutorService start(Duration interval, Line line, PrintStream out) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "load-progress");
            t.setDaemon(true);
            return t;
        });
        if (interval.toMillis() > 0) {
            executor.scheduleAtFixedRate(() -> out.println(line.next()),
                interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return executor;
    }
}
