package io.vivace.common.traceql;

import java.util.List;

/** A trace of the in-memory test model; trace-level intrinsics come from {@link TraceData}'s defaults. */
record TestTrace(String traceId, List<TestSpan> spans) implements TraceData {

    static TestTrace of(TestSpan... spans) {
        return new TestTrace("00000000000000000000000000000001", List.of(spans));
    }
}
