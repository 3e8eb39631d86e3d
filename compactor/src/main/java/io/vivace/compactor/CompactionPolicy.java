package io.vivace.compactor;

import io.vivace.common.config.ConfigException;
import io.vivace.common.config.VivaceConfig;
import java.time.Duration;

/**
 * What the compactor merges and deletes (the {@code compactor:} section).
 *
 * @param window            blocks are merged only with blocks whose end time falls in the same window
 * @param maxObjects        most traces in one output block
 * @param maxBytes          most input bytes in one job
 * @param maxInputBlocks    most blocks merged by one job (at least 2)
 * @param retention         blocks that ended longer ago than this are deleted
 * @param compactedGrace    how long a compacted block stays readable for queriers with an older blocklist
 * @param shardIndex        this compactor's share of the work ...
 * @param shardCount        ... out of this many compactors
 */
public record CompactionPolicy(Duration window, long maxObjects, long maxBytes, int maxInputBlocks, Duration retention,
                               Duration compactedGrace, int shardIndex, int shardCount) {

    public CompactionPolicy {
        if (window.isZero() || window.isNegative() || maxInputBlocks < 2 || shardCount < 1 || shardIndex < 0
                || shardIndex >= shardCount) {
            throw new ConfigException("compactor: compaction_window must be positive, max_input_blocks at least 2, "
                    + "and 0 <= shard.index < shard.count");
        }
    }

    public static CompactionPolicy from(VivaceConfig.Compactor c) {
        VivaceConfig.Compaction k = c.compaction();
        return new CompactionPolicy(k.compactionWindow(), k.maxCompactionObjects(), k.maxBlockBytes(), k.maxInputBlocks(),
                k.blockRetention(), k.compactedBlockRetention(), c.shard().index(), c.shard().count());
    }

    /** Whether this compactor owns the work named {@code key} (a job, a tenant's retention, a tenant's index). */
    boolean owns(String key) {
        return Math.floorMod(fnv1a(key), shardCount) == shardIndex;
    }

    private static int fnv1a(String key) {
        int hash = 0x811c9dc5;
        for (int i = 0; i < key.length(); i++) {
            hash ^= key.charAt(i);
            hash *= 0x01000193;
        }
        return hash;
    }
}
