package io.vivace.compactor;

import io.vivace.common.block.BlockMeta;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/** Blocks of one tenant, window and level to merge into one block. {@code key} names the job for sharding. */
record CompactionJob(String tenant, List<BlockMeta> inputs, String key) {

    int outputLevel() {
        return inputs.stream().mapToInt(BlockMeta::compactionLevel).max().orElse(0) + 1;
    }

    /**
     * The output block's ID, derived from the inputs: a job retried after a failed upload writes over what the
     * failed attempt left behind instead of leaving an orphan beside it.
     */
    UUID outputId() {
        StringBuilder name = new StringBuilder(tenant);
        inputs.stream().map(m -> m.blockId().toString()).sorted().forEach(id -> name.append('/').append(id));
        return UUID.nameUUIDFromBytes(name.toString().getBytes(StandardCharsets.UTF_8));
    }
}
