package io.vivace.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.MediaType;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vivace.common.proto.tempopb.SearchRequest;
import io.vivace.common.proto.tempopb.SearchResponse;
import io.vivace.common.proto.tempopb.SearchTagValuesV2Response;
import io.vivace.common.proto.tempopb.SearchTagsV2Response;
import io.vivace.common.proto.tempopb.SpanSet;
import io.vivace.common.proto.tempopb.StreamingQuerierGrpc;
import io.vivace.common.proto.tempopb.TagValue;
import io.vivace.common.proto.tempopb.TraceSearchMetadata;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingests two traces over OTLP/HTTP and searches them over HTTP and the gRPC stream, first from the ingester's
 * recent data (read-after-write), then again from backend blocks after a flush.
 */
class SearchEndToEndTest {

    static final String CART_TRACE = "00000000000000000abcdef012345678";
    static final String HOME_TRACE = "11111111111111111111111111111111";
    static final long NOW_SECONDS = System.currentTimeMillis() / 1000;
    static final long START_NANOS = (NOW_SECONDS - 60) * 1_000_000_000L;

    @TempDir
    static Path dir;
    static VivaceServer server;
    static WebClient http;

    @BeforeAll
    static void start() throws Exception {
        server = VivaceServer.start(new io.vivace.common.config.ConfigLoader().parse(TestServers.yaml(dir, false, """
                query_frontend:
                  search:
                    max_duration: 24h
                """)));
        http = WebClient.of("http://127.0.0.1:" + server.queryPort());
        AggregatedHttpResponse export = WebClient.of("http://127.0.0.1:" + server.otlpHttpPort())
                .prepare().post("/v1/traces").content(MediaType.PROTOBUF, traces().toByteArray()).execute().aggregate().join();
        assertEquals(200, export.status().code(), export.contentUtf8());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ExportTraceServiceRequest traces() {
        Span cartRoot = span(CART_TRACE, "0000000000000001", "", "GET /cart", 0, 250, Span.SpanKind.SPAN_KIND_SERVER, false);
        Span select = span(CART_TRACE, "b7ad6b7169203331", "0000000000000001", "SELECT", 10, 12, Span.SpanKind.SPAN_KIND_CLIENT, true)
                .toBuilder().addAttributes(attr("db.system", "postgres")).build();
        Span homeRoot = span(HOME_TRACE, "0000000000000002", "", "GET /home", 100, 50, Span.SpanKind.SPAN_KIND_SERVER, false);
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resource("frontend", cartRoot, homeRoot))
                .addResourceSpans(resource("db", select))
                .build();
    }

    static ResourceSpans resource(String service, Span... spans) {
        return ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attr("service.name", service)))
                .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans)))
                .build();
    }

    static Span span(String traceId, String spanId, String parent, String name, long startMs, long durationMs,
                     Span.SpanKind kind, boolean error) {
        HexFormat hex = HexFormat.of();
        long start = START_NANOS + startMs * 1_000_000L;
        Span.Builder b = Span.newBuilder()
                .setTraceId(ByteString.copyFrom(hex.parseHex(traceId)))
                .setSpanId(ByteString.copyFrom(hex.parseHex(spanId)))
                .setName(name).setKind(kind)
                .setStartTimeUnixNano(start).setEndTimeUnixNano(start + durationMs * 1_000_000L);
        if (!parent.isEmpty()) {
            b.setParentSpanId(ByteString.copyFrom(hex.parseHex(parent)));
        }
        if (error) {
            b.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
        }
        return b.build();
    }

    static KeyValue attr(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static AggregatedHttpResponse get(String path) {
        return http.get(path).aggregate().join();
    }

    static String range() {
        return "&start=" + (NOW_SECONDS - 3600) + "&end=" + (NOW_SECONDS + 60);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static SearchResponse searchHttp(String query) throws Exception {
        AggregatedHttpResponse r = get("/api/search?" + query);
        assertEquals(200, r.status().code(), r.contentUtf8());
        SearchResponse.Builder b = SearchResponse.newBuilder();
        JsonFormat.parser().merge(r.contentUtf8(), b);
        return b.build();
    }

    static void assertCartErrorSpan(SearchResponse response) {
        assertEquals(1, response.getTracesCount(), response.toString());
        TraceSearchMetadata t = response.getTraces(0);
        assertEquals("abcdef012345678", t.getTraceID());
        assertEquals("frontend", t.getRootServiceName());
        assertEquals("GET /cart", t.getRootTraceName());
        assertEquals(START_NANOS, t.getStartTimeUnixNano());
        assertEquals(250, t.getDurationMs());
        assertEquals(1, t.getSpanSetsCount());
        SpanSet set = t.getSpanSets(0);
        assertEquals(set, t.getSpanSet());
        assertEquals(1, set.getMatched());
        assertEquals("b7ad6b7169203331", set.getSpans(0).getSpanID());
        assertEquals("SELECT", set.getSpans(0).getName());
        assertEquals(12_000_000, set.getSpans(0).getDurationNanos());
        assertEquals("status", set.getSpans(0).getAttributes(0).getKey());
        assertEquals("error", set.getSpans(0).getAttributes(0).getValue().getStringValue());
        assertEquals(1, t.getServiceStatsOrThrow("db").getErrorCount());
        assertEquals(1, t.getServiceStatsOrThrow("frontend").getSpanCount());
    }

    void searchesEverywhere() throws Exception {
        assertCartErrorSpan(searchHttp("q=" + enc("{ status = error }") + range()));
        assertCartErrorSpan(searchHttp("q=" + enc("{ status = error }")));

        SearchResponse structural = searchHttp("q=" + enc("{ resource.service.name = \"frontend\" } > { span.db.system = \"postgres\" }") + range());
        assertEquals(1, structural.getTracesCount());
        assertEquals(List.of("service.name=db", "db.system=postgres"), structural.getTraces(0).getSpanSets(0).getSpans(0)
                .getAttributesList().stream().map(a -> a.getKey() + "=" + a.getValue().getStringValue()).toList());

        SearchResponse all = searchHttp("q=" + enc("{}") + range());
        assertEquals(List.of("11111111111111111111111111111111", "abcdef012345678"),
                all.getTracesList().stream().map(TraceSearchMetadata::getTraceID).toList(), "newest start first");
        assertEquals(1, searchHttp("q=" + enc("{}") + "&limit=1" + range()).getTracesCount());
        assertEquals(0, searchHttp("q=" + enc("{ name = \"nope\" }") + range()).getTracesCount());

        SearchResponse byTags = searchHttp("tags=" + enc("service.name=db") + range());
        assertEquals(List.of("abcdef012345678"), byTags.getTracesList().stream().map(TraceSearchMetadata::getTraceID).toList());
        assertEquals(0, byTags.getTraces(0).getSpanSetsCount());
        assertEquals(1, searchHttp("tags=" + enc("root.name=\"GET /home\"") + "&minDuration=10ms" + range()).getTracesCount());
        assertEquals(0, searchHttp("tags=" + enc("root.name=\"GET /home\"") + "&minDuration=100ms" + range()).getTracesCount());

        SearchTagsV2Response tags = parse(get("/api/v2/search/tags?" + range().substring(1)), SearchTagsV2Response.newBuilder());
        assertTrue(tags.getScopesList().stream().anyMatch(s -> s.getName().equals("resource") && s.getTagsList().equals(List.of("service.name"))), tags.toString());
        assertTrue(tags.getScopesList().stream().anyMatch(s -> s.getName().equals("span") && s.getTagsList().equals(List.of("db.system"))), tags.toString());
        assertTrue(tags.getScopesList().stream().anyMatch(s -> s.getName().equals("intrinsic") && s.getTagsList().contains("rootServiceName")));

        assertEquals(List.of("db", "frontend"), values(get("/api/v2/search/tag/resource.service.name/values")).stream().sorted().toList());
        assertEquals(List.of("db"), values(get("/api/v2/search/tag/resource.service.name/values?q=" + enc("{ status = error }"))));
        SearchTagValuesV2Response status = parse(get("/api/v2/search/tag/status/values"), SearchTagValuesV2Response.newBuilder());
        assertEquals(TagValue.newBuilder().setType("keyword").setValue("ok").build(), status.getTagValues(0));
        AggregatedHttpResponse v1 = get("/api/search/tag/service.name/values");
        assertEquals("{\"tagValues\":[\"db\",\"frontend\"]", v1.contentUtf8().substring(0, v1.contentUtf8().indexOf(",\"metrics\"")));
    }

    static List<String> values(AggregatedHttpResponse r) throws Exception {
        SearchTagValuesV2Response v = parse(r, SearchTagValuesV2Response.newBuilder());
        return v.getTagValuesList().stream().map(TagValue::getValue).toList();
    }

    @SuppressWarnings("unchecked")
    static <T extends com.google.protobuf.Message> T parse(AggregatedHttpResponse r, com.google.protobuf.Message.Builder b) throws Exception {
        assertEquals(200, r.status().code(), r.contentUtf8());
        JsonFormat.parser().merge(r.contentUtf8(), b);
        return (T) b.build();
    }

    static SearchResponse searchGrpc(SearchRequest request) {
        // A bound, not a synchronisation: the default 10 s can pass on a busy 2-core machine.
        StreamingQuerierGrpc.StreamingQuerierBlockingStub stub = GrpcClients.builder("http://127.0.0.1:" + server.queryPort())
                .responseTimeoutMillis(120_000).build(StreamingQuerierGrpc.StreamingQuerierBlockingStub.class);
        List<SearchResponse> messages = new ArrayList<>();
        Iterator<SearchResponse> it = stub.search(request);
        it.forEachRemaining(messages::add);
        assertFalse(messages.isEmpty());
        return messages.getLast(); // the final message holds the complete result
    }

    @Test
    void searchOverTheGrpcStream() {
        assertCartErrorSpan(searchGrpc(SearchRequest.newBuilder().setQuery("{ status = error }")
                .setStart((int) (NOW_SECONDS - 3600)).setEnd((int) (NOW_SECONDS + 60)).build()));
    }

    @Test
    void searchRecentDataThenBlocks() throws Exception {
        searchesEverywhere();
        server.flushAndPoll();
        searchesEverywhere();
        SearchResponse fromBlocks = searchHttp("q=" + enc("{}") + range());
        assertTrue(fromBlocks.getMetrics().getTotalBlocks() >= 1, fromBlocks.getMetrics().toString());
    }

    @Test
    void jsonShapeFollowsJsonpb() {
        String json = get("/api/search?q=" + enc("{ status = error }") + range()).contentUtf8();
        assertTrue(json.contains("\"traceID\":\"abcdef012345678\""), json);
        assertTrue(json.contains("\"startTimeUnixNano\":\"" + START_NANOS + "\""), json);
        assertTrue(json.contains("\"durationMs\":250"), json);
        assertTrue(json.contains("\"durationNanos\":\"12000000\""), json);
        assertTrue(json.contains("\"spanSet\":{"), json);
        assertTrue(json.contains("\"inspectedBytes\":\""), json);
        String empty = get("/api/search?q=" + enc("{ name = \"nope\" }") + range()).contentUtf8();
        assertFalse(empty.contains("traces"), empty);
        assertTrue(empty.startsWith("{\"metrics\":{"), empty);
    }

    @Test
    void badRequestsAre400WithMessage() {
        assertBad("/api/search?q=" + enc("{ .a = }"), "invalid TraceQL query: parse error at line 1, col 8");
        assertBad("/api/search?q=" + enc("{}") + "&tags=a=b", "invalid request: can't specify tags and q in the same query");
        assertBad("/api/search?tags=" + enc("a=b a=c"), "invalid tags: tag a has been set twice");
        assertBad("/api/search?q=" + enc("{}") + "&limit=0", "invalid limit: must be a positive number");
        assertBad("/api/search?q=" + enc("{}") + "&limit=300000", "limit 300000 exceeds max limit 262144");
        assertBad("/api/search?q=" + enc("{}") + "&spss=101", "spans per span set exceeds 100. received 101");
        assertBad("/api/search?q=" + enc("{}") + "&start=200&end=100", "http parameter start must be before end. received start=200 end=100");
        assertBad("/api/search?q=" + enc("{}") + "&start=100", "error parsing date range: only one of start and end provided");
        assertBad("/api/search?q=" + enc("{}") + "&start=100&end=" + (100 + 25 * 3600),
                "range specified by start and end exceeds 24h0m0s. received start=100 end=90100");
        assertBad("/api/search?q=" + enc("{}") + "&minDuration=abc", "invalid minDuration");
        assertBad("/api/search/tags?scope=foo", "invalid scope: foo");
        assertBad("/api/v2/search/tag/" + enc("{") + "/values", "please provide a valid tagName");
    }

    static void assertBad(String path, String message) {
        AggregatedHttpResponse r = get(path);
        assertEquals(400, r.status().code(), path + " -> " + r.contentUtf8());
        assertTrue(r.contentUtf8().startsWith(message), path + " -> " + r.contentUtf8());
    }
}
