package io.vivace.ingester;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

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

    @Test
    void underMemoryPressureTheLeastRecentlyAppendedTracesMoveToTheHeadBlockAndStayReadable() throws Exception {
        TenantInstance tenant = new TenantInstance("t", dir, new LiveTraceMemory(LiveTraceMemory.CHUNK_BYTES), 0);
        List<TraceId> ids = List.of(new TraceId(1, 4), new TraceId(1, 3), new TraceId(1, 2), new TraceId(1, 1));
        for (int i = 0; i < ids.size(); i++) {
            tenant.append(List.of(fragment(ids.get(i), 10 + i)), 1, 100 + i); // appended at 100, 101, 102, 103
        }

        assertEquals(2, tenant.moveLeastRecentToHead(0.5));

        assertEquals(2, tenant.liveTraceCount());
        assertNull(tenant.liveTrace(ids.get(0)), "appended first, moved first");
        assertNull(tenant.liveTrace(ids.get(1)));
        assertNotNull(tenant.liveTrace(ids.get(2)));
        assertNotNull(tenant.liveTrace(ids.get(3)));
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(Set.of(10L + i), spanIds(tenant, ids.get(i)), "live or in the head block, every trace is readable");
        }
        assertEquals(0, tenant.moveLeastRecentToHead(0), "a zero fraction moves nothing");
    }

    private Set<Long> spanIds(TenantInstance tenant) throws Exception {
        return spanIds(tenant, ID);
    }

    private Set<Long> spanIds(TenantInstance tenant, TraceId id) throws Exception {
        TracesData trace = TraceCombiner.combine(tenant.find(id, 0, 0));
        return trace.getResourceSpansList().stream()
            .flatMap(rs -> rs.getScopeSpansList().stream())
            .flatMap(ss -> ss.getSpansList().stream())
            .map(s -> s.getSpanId().asReadOnlyByteBuffer().getLong())
            .collect(Collectors.toSet());
    }

    private static TraceFragment fragment(long spanId) {
        return fragment(ID, spanId);
    }

    private static TraceFragment fragment(TraceId id, long spanId) {
        Span span = Span.newBuilder()
            .setTraceId(ByteString.copyFrom(id.toBytes()))
            .setSpanId(ByteString.copyFrom(java.nio.ByteBuffer.allocate(8).putLong(spanId).array()))
            .setName("span " + spanId)
            .setStartTimeUnixNano(1_000 * spanId)
            .setEndTimeUnixNano(1_000 * spanId + 500)
            .build();
        byte[] data = TracesData.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
            .build().toByteArray();
        return new TraceFragment(id, data, 1, span.getStartTimeUnixNano(), span.getEndTimeUnixNano());
    }
}
