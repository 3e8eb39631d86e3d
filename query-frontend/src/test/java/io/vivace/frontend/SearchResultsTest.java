package io.vivace.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vivace.common.proto.tempopb.SearchMetrics;
import io.vivace.common.proto.tempopb.SearchResponse;
import io.vivace.common.proto.tempopb.ServiceStats;
import io.vivace.common.proto.tempopb.Span;
import io.vivace.common.proto.tempopb.SpanSet;
import io.vivace.common.proto.tempopb.TraceSearchMetadata;
import io.vivace.common.traceql.SpanKind;
import io.vivace.common.traceql.StatusCode;
import io.vivace.common.traceql.Value;
import org.junit.jupiter.api.Test;

class SearchResultsTest {

    @Test
    void traceIdsLoseLeadingZeros() {
        assertEquals("abc", SearchResults.traceIdForSearch("00000abc"));
        assertEquals("0", SearchResults.traceIdForSearch("0000"));
        assertEquals("1000", SearchResults.traceIdForSearch("1000"));
    }

    @Test
    void valuesRenderAsTempoDoes() {
        assertEquals("error", SearchResults.anyValue(Value.of(StatusCode.ERROR)).getStringValue());
        assertEquals("server", SearchResults.anyValue(Value.of(SpanKind.SERVER)).getStringValue());
        assertEquals(42, SearchResults.anyValue(Value.of(42L)).getIntValue());
        assertEquals("1.5ms", SearchResults.anyValue(Value.ofDuration(1_500_000)).getStringValue());
    }

    @Test
    void jsonIsJsonpbShaped() {
        SpanSet set = SpanSet.newBuilder().setMatched(1).addSpans(Span.newBuilder().setSpanID("b7ad6b7169203331").setName("SELECT")
                .setStartTimeUnixNano(1700000000010000000L).setDurationNanos(12000000)
                .addAttributes(SearchResults.keyValue("status", Value.of(StatusCode.ERROR)))).build();
        SearchResponse r = SearchResponse.newBuilder().addTraces(TraceSearchMetadata.newBuilder().setTraceID("af76")
                        .setRootServiceName("frontend").setStartTimeUnixNano(1700000000000000000L).setDurationMs(250)
                        .setSpanSet(set).addSpanSets(set).putServiceStats("db", ServiceStats.newBuilder().setSpanCount(1).setErrorCount(1).build()))
                .setMetrics(SearchMetrics.newBuilder().setInspectedTraces(3).setInspectedBytes(1024).setTotalJobs(1).setCompletedJobs(1))
                .build();
        String span = "{\"spans\":[{\"spanID\":\"b7ad6b7169203331\",\"name\":\"SELECT\",\"startTimeUnixNano\":\"1700000000010000000\","
                + "\"durationNanos\":\"12000000\",\"attributes\":[{\"key\":\"status\",\"value\":{\"stringValue\":\"error\"}}]}],\"matched\":1}";
        assertEquals("{\"traces\":[{\"traceID\":\"af76\",\"rootServiceName\":\"frontend\",\"startTimeUnixNano\":\"1700000000000000000\","
                + "\"durationMs\":250,\"spanSet\":" + span + ",\"spanSets\":[" + span + "],"
                + "\"serviceStats\":{\"db\":{\"spanCount\":1,\"errorCount\":1}}}],"
                + "\"metrics\":{\"inspectedTraces\":3,\"inspectedBytes\":\"1024\",\"completedJobs\":1,\"totalJobs\":1}}", SearchApi.toJson(r));
        assertEquals("{\"metrics\":{\"completedJobs\":1,\"totalJobs\":1}}", SearchApi.toJson(SearchResponse.newBuilder()
                .setMetrics(SearchMetrics.newBuilder().setTotalJobs(1).setCompletedJobs(1)).build()));
    }

    @Test
    void mergeKeepsEarliestStartLongestDurationAndDistinctSpansets() {
        SpanSet a = SpanSet.newBuilder().setMatched(1).build();
        SpanSet b = SpanSet.newBuilder().setMatched(2).build();
        TraceSearchMetadata one = TraceSearchMetadata.newBuilder().setTraceID("1").setRootServiceName(SearchResults.ROOT_NOT_RECEIVED)
                .setStartTimeUnixNano(200).setDurationMs(5).addSpanSets(a).setSpanSet(a).build();
        TraceSearchMetadata two = TraceSearchMetadata.newBuilder().setTraceID("1").setRootServiceName("web").setRootTraceName("GET")
                .setStartTimeUnixNano(100).setDurationMs(3).addSpanSets(a).addSpanSets(b).setSpanSet(a).build();
        TraceSearchMetadata merged = SearchResults.merge(one, two);
        assertEquals(100, merged.getStartTimeUnixNano());
        assertEquals(5, merged.getDurationMs());
        assertEquals("web", merged.getRootServiceName());
        assertEquals("GET", merged.getRootTraceName());
        assertEquals(2, merged.getSpanSetsCount());
    }
}
