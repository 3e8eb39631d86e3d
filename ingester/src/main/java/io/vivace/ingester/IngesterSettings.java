package io.vivace.ingester;

import io.vivace.common.config.VivaceConfig;
import java.time.Duration;

/** The ingester's timing and size knobs (the {@code ingester:} section). */
public record IngesterSettings(Duration traceIdlePeriod, Duration flushCheckPeriod, long maxBlockBytes,
                               Duration maxBlockDuration, Duration completeBlockTimeout, int concurrentFlushes) {

    public static IngesterSettings from(VivaceConfig.Ingester c) {
        return new IngesterSettings(c.traceIdlePeriod(), c.flushCheckPeriod(), c.maxBlockBytes(), c.maxBlockDuration(),
                c.completeBlockTimeout(), c.concurrentFlushes());
    }
}
