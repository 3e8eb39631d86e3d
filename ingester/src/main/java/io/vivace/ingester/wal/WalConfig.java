package io.vivace.ingester.wal;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link WriteAheadLog}.
 *
 * @param segmentBytes  a segment is closed and a new one started before a record would take it past this
 *                      size (a single larger record gets a segment of its own)
 * @param fsync         when records are forced to stable storage
 * @param fsyncInterval how often {@link FsyncPolicy#INTERVAL} forces; ignored by the other policies
 */
public record WalConfig(long segmentBytes, FsyncPolicy fsync, Duration fsyncInterval) {

    public static final long DEFAULT_SEGMENT_BYTES = 128L << 20;
    public static final Duration DEFAULT_FSYNC_INTERVAL = Duration.ofSeconds(1);
    /** Small enough for tests that rotate often, large enough to hold a header and a record. */
    public static final long MIN_SEGMENT_BYTES = 1024;

    public WalConfig {
        Objects.requireNonNull(fsync, "fsync");
        Objects.requireNonNull(fsyncInterval, "fsyncInterval");
        if (segmentBytes < MIN_SEGMENT_BYTES) {
            throw new IllegalArgumentException("segmentBytes must be at least " + MIN_SEGMENT_BYTES + ", was "
                    + segmentBytes);
        }
        if (fsyncInterval.isNegative() || fsyncInterval.isZero()) {
            throw new IllegalArgumentException("fsyncInterval must be positive, was " + fsyncInterval);
        }
    }

    /** 128 MiB segments, group commit (nothing acknowledged is lost). */
    public static WalConfig defaults() {
        return new WalConfig(DEFAULT_SEGMENT_BYTES, FsyncPolicy.ALWAYS, DEFAULT_FSYNC_INTERVAL);
    }

    public WalConfig withSegmentBytes(long bytes) {
        return new WalConfig(bytes, fsync, fsyncInterval);
    }

    public WalConfig withFsync(FsyncPolicy policy) {
        return new WalConfig(segmentBytes, policy, fsyncInterval);
    }
}
