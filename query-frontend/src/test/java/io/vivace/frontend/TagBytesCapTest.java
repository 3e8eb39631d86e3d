package io.vivace.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.proto.tempopb.MetadataMetrics;
import io.vivace.common.query.TimeWindow;
import io.vivace.common.query.TraceVisitor;
import io.vivace.common.traceql.Attribute;
import io.vivace.common.traceql.AttributeScope;
import org.junit.jupiter.api.Test;

/** A tag query gathers at most its byte cap of names or values, then stops the scan (Tempo's max_bytes_per_tag_values_query). */
class TagBytesCapTest {

    @Test
    void valuesStopAtTheCapAndTheScanStops() {
        TagValues values = new TagValues(Attribute.of(AttributeScope.SPAN, "url"), 100);
        TagCollector collector = new TagCollector(new TagQuery(null, 0, null), values);
        TraceVisitor visitor = collector.visitor(TimeWindow.ALL);

        int visited = 0;
        while (visitor.visit(trace(visited, "url", "/items/" + (1000 + visited)))) { // 11 bytes per value
            visited++;
        }

        assertTrue(values.full());
        assertTrue(collector.done());
        assertEquals(9, visited, "the 10th value no longer fits in 100 bytes, the scan stops there");
        assertEquals(9, values.v2(0, MetadataMetrics.getDefaultInstance()).getTagValuesCount());
    }

    @Test
    void repeatedValuesDoNotCount() {
        TagValues values = new TagValues(Attribute.of(AttributeScope.SPAN, "method"), 20);
        TraceVisitor visitor = new TagCollector(new TagQuery(null, 0, null), values).visitor(TimeWindow.ALL);
        for (int i = 0; i < 1000; i++) {
            assertTrue(visitor.visit(trace(i, "method", i % 2 == 0 ? "GET" : "POST")));
        }
        assertFalse(values.full());
        assertEquals(2, values.v2(0, MetadataMetrics.getDefaultInstance()).getTagValuesCount());
    }

    @Test
    void namesStopAtTheCap() {
        TagNames names = new TagNames(50);
        TraceVisitor visitor = new TagCollector(new TagQuery(null, 0, null), names).visitor(TimeWindow.ALL);
        int visited = 0;
        while (visitor.visit(trace(visited, "attribute." + (100 + visited), "x"))) { // 13 bytes per name
            visited++;
        }
        assertEquals(3, visited);
        assertEquals(3, names.v1("span", 0, MetadataMetrics.getDefaultInstance()).getTagNamesCount());
    }

    static TracesData trace(int i, String key, String value) {
        Span span = Span.newBuilder()
                .setTraceId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, (byte) (i >> 8), (byte) i}))
                .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                .setName("op").setStartTimeUnixNano(1_000).setEndTimeUnixNano(2_000)
                .addAttributes(KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)))
                .build();
        return TracesData.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span))).build();
    }
}
