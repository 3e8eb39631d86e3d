package io.vivace.common.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.traceql.AttributeScope;
import io.vivace.common.traceql.SearchEngine;
import io.vivace.common.traceql.SpanKind;
import io.vivace.common.traceql.StatusCode;
import io.vivace.common.traceql.TraceQL;
import io.vivace.common.traceql.Value;
import io.vivace.common.traceql.ValueType;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpTraceDataTest {

    static final HexFormat HEX = HexFormat.of();

    static Span span(String id, String parent, String name, long start, long end) {
        Span.Builder b = Span.newBuilder().setTraceId(ByteString.copyFrom(HEX.parseHex("0102030405060708090a0b0c0d0e0f10")))
                .setSpanId(ByteString.copyFrom(HEX.parseHex(id))).setName(name)
                .setStartTimeUnixNano(start).setEndTimeUnixNano(end);
        if (!parent.isEmpty()) {
            b.setParentSpanId(ByteString.copyFrom(HEX.parseHex(parent)));
        }
        return b.build();
    }

    static KeyValue kv(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    static TracesData trace() {
        Span child = span("0000000000000002", "0000000000000001", "child", 150, 400).toBuilder()
                .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"))
                .addAttributes(kv("n", AnyValue.newBuilder().setIntValue(7).build()))
                .addAttributes(kv("list", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                        .addValues(AnyValue.newBuilder().setStringValue("a")).addValues(AnyValue.newBuilder().setStringValue("b"))).build()))
                .addAttributes(kv("mixed", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                        .addValues(AnyValue.newBuilder().setStringValue("a")).addValues(AnyValue.newBuilder().setIntValue(1))).build()))
                .build();
        // Child first: numbering must not depend on the order spans arrive in.
        return TracesData.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(kv("service.name", AnyValue.newBuilder().setStringValue("db").build())))
                        .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("lib").setVersion("1.0"))
                                .addSpans(child)))
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(kv("service.name", AnyValue.newBuilder().setStringValue("web").build())))
                        .addScopeSpans(ScopeSpans.newBuilder().addSpans(span("0000000000000001", "", "root", 100, 500))))
                .build();
    }

    @Test
    void adaptsSpansAttributesAndTraceValues() {
        OtlpTraceData t = OtlpTraceData.of(trace());
        assertEquals("0102030405060708090a0b0c0d0e0f10", t.traceId());
        assertEquals(100, t.startNanos());
        assertEquals(500, t.endNanos());
        assertEquals(400, t.durationNanos());
        assertEquals("root", t.rootSpanName());
        assertEquals("web", t.rootServiceName());

        OtlpTraceData.OtlpSpan child = t.spans().getFirst();
        assertEquals("0000000000000002", child.spanId());
        assertEquals("0000000000000001", child.parentSpanId());
        assertEquals(SpanKind.CLIENT, child.kind());
        assertEquals(StatusCode.ERROR, child.status());
        assertEquals("boom", child.statusMessage());
        assertEquals(250, child.durationNanos());
        assertEquals(Value.of(7L), child.attribute(AttributeScope.SPAN, "n"));
        assertEquals(Value.array(ValueType.STRING, List.of(Value.of("a"), Value.of("b"))), child.attribute(AttributeScope.SPAN, "list"));
        assertEquals(Value.NIL, child.attribute(AttributeScope.SPAN, "mixed"));
        assertEquals(Value.of("db"), child.attribute(AttributeScope.RESOURCE, "service.name"));
        assertEquals("lib", child.scopeName());
        assertEquals("1.0", child.scopeVersion());
        assertNull(t.spans().get(1).scopeName());
    }

    @Test
    void numbersNestedSetsAcrossResources() {
        OtlpTraceData t = OtlpTraceData.of(trace());
        OtlpTraceData.OtlpSpan child = t.spans().get(0);
        OtlpTraceData.OtlpSpan root = t.spans().get(1);
        assertEquals(List.of(1, 4, -1), List.of(root.nestedSetLeft(), root.nestedSetRight(), root.nestedSetParent()));
        assertEquals(List.of(2, 3, 1), List.of(child.nestedSetLeft(), child.nestedSetRight(), child.nestedSetParent()));
    }

    @Test
    void engineEvaluatesTheAdaptedTrace() throws Exception {
        OtlpTraceData t = OtlpTraceData.of(trace());
        SearchEngine structural = new SearchEngine(TraceQL.parse("{ resource.service.name = \"web\" } > { status = error && span.n = 7 }"));
        assertEquals("child", structural.evaluate(t).orElseThrow().spansets().getFirst().spans().getFirst().span().name());
        assertEquals(true, new SearchEngine(TraceQL.parse("{ rootServiceName = \"web\" && traceDuration = 400ns }")).evaluate(t).isPresent());
        assertEquals(false, new SearchEngine(TraceQL.parse("{ span.list = \"c\" }")).evaluate(t).isPresent());
    }
}
