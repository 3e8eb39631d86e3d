package io.vivace.ingester;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LiveTraceMemoryTest {

    @Test
    void defaultBudgetIsAQuarterOfTheHeapLimit() {
        assertEquals(256L << 20, LiveTraceMemory.defaultBudgetBytes(1L << 30));
    }
}
