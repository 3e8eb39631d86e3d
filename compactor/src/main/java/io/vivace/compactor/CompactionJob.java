package io.vivace.compactor;

import io.vivace.common.block.BlockMeta;
import java.util.List;

/** Blocks of one tenant, window and level to merge into one block. {@code key} names the job for sharding. */
record CompactionJob(String tenant, List<BlockMeta> inputs, String key) {

    int outputLevel() {
        return inputs.stream().mapToInt(BlockMeta::compactionLevel).max().orElse(0) + 1;
    }
}
