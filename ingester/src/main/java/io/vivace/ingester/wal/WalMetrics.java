package io.vivace.ingester.wal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The few numbers that tell how the WAL is doing: bytes in, group sizes, fsync latency. */
final class WalMetrics {

    final Counter appendedBytes;
    final DistributionSummary groupRecords;
    final Timer fsync;

    WalMetrics(MeterRegistry registry) {
        appendedBytes = Counter.builder("vivace.wal.appended")
                .baseUnit("bytes")
                .description("Record payload bytes written to the write-ahead log")
                .register(registry);
        groupRecords = DistributionSummary.builder("vivace.wal.group.records")
                .description("Records written together by one group commit")
                .register(registry);
        fsync = Timer.builder("vivace.wal.fsync")
                .description("Time spent forcing write-ahead log segments to stable storage")
                .register(registry);
    }
}
