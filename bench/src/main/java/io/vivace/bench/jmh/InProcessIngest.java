package io.vivace.bench.jmh;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vivace.common.block.BlockConfig;
import io.vivace.common.block.BlockWriter;
import io.vivace.common.limits.Overrides;
import io.vivace.common.limits.TenantLimits;
import io.vivace.common.storage.LocalBackend;
import io.vivace.distributor.Distributor;
import io.vivace.ingester.Ingester;
import io.vivace.ingester.IngesterSettings;
import io.vivace.ingester.wal.FsyncPolicy;
import io.vivace.ingester.wal.WalConfig;
import io.vivace.ingester.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The real distributor and ingester in this process, data under one folder, for the CPU probes: WAL without fsync,
 * the default block settings, the default limits without the ingestion rate limit and the live-trace cap (the
 * probes measure the path, not the limits).
 */
record InProcessIngest(WriteAheadLog wal, Ingester ingester, Distributor distributor) {

    private static final TenantLimits UNLIMITED;

    static {
        TenantLimits d = TenantLimits.defaults();
        UNLIMITED = new TenantLimits(0, 0, 0, d.maxAttributeBytes(), d.maxBytesPerTrace(), d.maxSearchDuration(),
                d.maxResultLimit(), d.maxBytesPerTagValuesQuery(), d.blockRetention());
    }

    static InProcessIngest start(Path dir) throws IOException {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        WriteAheadLog wal = WriteAheadLog.open(dir.resolve("wal"),
                new WalConfig(WalConfig.DEFAULT_SEGMENT_BYTES, FsyncPolicy.NEVER, Duration.ofSeconds(1)));
        IngesterSettings settings = new IngesterSettings(Duration.ofSeconds(10), Duration.ofSeconds(10), 500L << 20,
                Duration.ofMinutes(30), Duration.ofMinutes(15), 1);
        Overrides limits = Overrides.fixed(UNLIMITED);
        Ingester ingester = new Ingester(settings, wal, dir.resolve("head"), new LocalBackend(dir.resolve("blocks")),
                new BlockWriter(BlockConfig.DEFAULT, dir.resolve("scratch")), metrics, System::nanoTime, limits);
        return new InProcessIngest(wal, ingester, new Distributor(ingester, metrics, limits, System::nanoTime));
    }
}
