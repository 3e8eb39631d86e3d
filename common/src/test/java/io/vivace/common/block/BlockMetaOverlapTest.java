package io.vivace.common.block;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BlockMetaOverlapTest {

    static final BlockMeta BLOCK_100_TO_200 = new BlockMeta(TraceSchema.FORMAT, UUID.randomUUID(), "t",
            Instant.ofEpochSecond(100), Instant.ofEpochSecond(200), 1, 1, 0, 1, 1, 0, 1);

    @Test
    void zeroMeansUnbounded() {
        assertTrue(BLOCK_100_TO_200.overlapsSeconds(0, 0));
        assertTrue(BLOCK_100_TO_200.overlapsSeconds(0, 100));
        assertTrue(BLOCK_100_TO_200.overlapsSeconds(200, 0));
        assertFalse(BLOCK_100_TO_200.overlapsSeconds(0, 99));
        assertFalse(BLOCK_100_TO_200.overlapsSeconds(201, 0));
    }

    @Test
    void rangesThatTouchTheBlockOverlapIt() {
        assertTrue(BLOCK_100_TO_200.overlapsSeconds(150, 160));
        assertTrue(BLOCK_100_TO_200.overlapsSeconds(50, 100));
        assertTrue(BLOCK_100_TO_200.overlapsSeconds(200, 300));
        assertFalse(BLOCK_100_TO_200.overlapsSeconds(10, 99));
        assertFalse(BLOCK_100_TO_200.overlapsSeconds(201, 300));
    }
}
