package io.vivace.ingester;

import io.vivace.common.block.BackendBlock;
import io.vivace.common.block.BlockMeta;

/**
 * A block this ingester wrote to the backend, still served from here until queriers have surely picked it
 * up from the blocklist ({@code complete_block_timeout}), so a trace is never invisible in between.
 */
record FlushedBlock(BlockMeta meta, BackendBlock block, long flushedNanos) {
}
