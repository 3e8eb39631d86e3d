package io.vivace.ingester;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.ingest.TraceFragment;
import io.vivace.common.model.TraceCombiner;
import io.vivace.common.model.TraceId;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantInstanceTest {

    private static final TraceId ID = new TraceId(0x1234, 0x5678);

    @TempDir
    Path dir;

    @Test
    void aLateSpanForASealedTraceNotYetInTheHeadBlockLeavesEverySpanReadable() throws Exception {
        TenantInstance tenant = new TenantInstance("t", dir, new LiveTraceMemory(LiveTraceMemory.CHUNK_BYTES), 0);
        tenant.append(List.of(fragment(1)), 1, 0);
        LiveTrace sealedBySweep = tenant.liveTrace(ID);
        assertNotNull(sealedBySweep.seal()); // the sweep seals, then writes to the head block a moment later

        tenant.append(List.of(fragment(2)), 2, 1);

        assertEquals(Set.of(1L, 2L), spanIds(tenant), "the sealed part is still readable beside the late span");
        assertEquals(1, tenant.minSegmentInUse(), "the WAL keeps the sealed part's segment");
    }

    private Set<Long> spanIds(TenantInstance tenant) throws Exception {
        TracesData trace = TraceCombiner.combine(tenant.find(ID, 0, 0));
        return trace.getResourceSpansList().stream()
            .flatMap(rs -> rs.getScopeSpansList().stream())
            .flatMap(ss -> ss.getSpansList().stream())
            .map(s -> s.getSpanId().asReadOnlyByteBuffer().getLong())
            .collect(Collectors.toSet());
    }

    private static TraceFragment fragment(long spanId) {
        Span span = Span.newBuilder()
            .setTraceId(ByteString.copyFrom(ID.toBytes()))
            .setSpanId(ByteString.copyFrom(java.nio.ByteBuffer.allocate(8).putLong(spanId).array()))
            .setName("span " + spanId)
            .setStartTimeUnixNano(1_000 * spanId)
            .setEndTimeUnixNano(1_000 * spanId + 500)
            .build();
        byte[] data = TracesData.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
            .build().toByteArray();
        return new TraceFragment(ID, data, 1, span.getStartTimeUnixNano(), span.getEndTimeUnixNano());
    }
}
