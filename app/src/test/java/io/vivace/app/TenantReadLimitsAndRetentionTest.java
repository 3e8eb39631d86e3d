package io.vivace.app;

import static io.vivace.app.IngestSemanticsTest.hexId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vivace.common.config.ConfigLoader;
import io.vivace.common.proto.tempopb.SearchRequest;
import io.vivace.common.proto.tempopb.SearchTagValuesRequest;
import io.vivace.common.proto.tempopb.SearchTagsRequest;
import io.vivace.common.proto.tempopb.StreamingQuerierGrpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-tenant read limits ({@code read.max_search_duration}, {@code read.max_result_limit}) on HTTP and on the gRPC
 * StreamingQuerier, and per-tenant block retention, each changed through the overrides file without a restart.
 * Reloads and compaction cycles are triggered explicitly (the periodic ones are an hour apart or off).
 */
class TenantReadLimitsAndRetentionTest {

    static final long START = 1_000_000_000L;
    static final String TWO_HOURS = "start=" + START + "&end=" + (START + 7200);
    static final String BASE_OVERRIDES = """
            overrides:
              narrow:
                read: {max_search_duration: 1h, max_result_limit: 5}
              wide:
                read: {max_search_duration: 720h}
              tagcapped:
                read: {max_bytes_per_tag_values_query: 20}
            """;

    @TempDir
    static Path dir;
    static Path overridesFile;
    static VivaceServer server;
    static WebClient otlp;
    static WebClient query;

    @BeforeAll
    static void start() throws Exception {
        overridesFile = dir.resolve("overrides.yaml");
        Files.writeString(overridesFile, BASE_OVERRIDES);
        String yaml = TestServers.yaml(dir, true, """
                overrides:
                  per_tenant_override_config: %s
                  per_tenant_override_period: 1h
                compactor:
                  disabled: true
                  compaction:
                    compacted_block_retention: 0s
                """.formatted(overridesFile)).replace("flush_check_period: 1h", "flush_check_period: 1h\n  complete_block_timeout: 0s");
        server = VivaceServer.start(new ConfigLoader().parse(yaml));
        otlp = WebClient.of("http://127.0.0.1:" + server.otlpHttpPort());
        query = WebClient.of("http://127.0.0.1:" + server.queryPort());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static AggregatedHttpResponse get(String path, String tenant) {
        return query.execute(RequestHeaders.builder(HttpMethod.GET, path).set("x-scope-orgid", tenant).build()).aggregate().join();
    }

    static void assertRefused(String path, String tenant, String message) {
        AggregatedHttpResponse r = get(path, tenant);
        assertEquals(400, r.status().code(), path + " for " + tenant + " -> " + r.contentUtf8());
        assertTrue(r.contentUtf8().contains(message), path + " for " + tenant + " -> " + r.contentUtf8());
    }

    static void assertAccepted(String path, String tenant) {
        AggregatedHttpResponse r = get(path, tenant);
        assertEquals(200, r.status().code(), path + " for " + tenant + " -> " + r.contentUtf8());
    }

    /** The gRPC status of a StreamingQuerier call, or OK when it completed. */
    static String grpc(String tenant, Consumer<StreamingQuerierGrpc.StreamingQuerierBlockingStub> call) {
        StreamingQuerierGrpc.StreamingQuerierBlockingStub stub = GrpcClients.builder("http://127.0.0.1:" + server.queryPort())
                .responseTimeoutMillis(120_000).addHeader("x-scope-orgid", tenant).build(StreamingQuerierGrpc.StreamingQuerierBlockingStub.class);
        try {
            call.accept(stub);
            return "OK";
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode().name() + ": " + e.getStatus().getDescription();
        }
    }

    static final List<String> RANGED_PATHS = List.of(
            "/api/search?q=%7B%7D&" + TWO_HOURS,
            "/api/search/tags?" + TWO_HOURS,
            "/api/v2/search/tags?" + TWO_HOURS,
            "/api/search/tag/service.name/values?" + TWO_HOURS,
            "/api/v2/search/tag/resource.service.name/values?" + TWO_HOURS);

    @Test
    void aRangeLongerThanTheTenantsMaxSearchDurationIsRefusedOnEveryRangedEndpoint() {
        for (String path : RANGED_PATHS) {
            assertRefused(path, "narrow", "exceeds 1h0m0s. received start=1000000000 end=1000007200 "
                    + "(overrides read.max_search_duration of tenant narrow)");
            assertAccepted(path, "wide");
            assertAccepted(path, "plain");
            assertRefused(path, "narrow|wide", "of tenant narrow"); // a multi-tenant query gets the strictest
        }
        assertAccepted("/api/search?q=%7B%7D", "narrow"); // no range given: nothing to limit
        String eightDays = "start=" + START + "&end=" + (START + 8 * 24 * 3600);
        assertRefused("/api/search?q=%7B%7D&" + eightDays, "plain", "exceeds 168h0m0s");
        assertAccepted("/api/search?q=%7B%7D&" + eightDays, "wide"); // as in Tempo, the tenant's value wins even when longer
    }

    @Test
    void aSearchLimitAboveTheTenantsMaxResultLimitIsRefused() {
        assertRefused("/api/search?q=%7B%7D&limit=6", "narrow", "limit 6 exceeds max limit 5 (overrides read.max_result_limit of tenant narrow)");
        assertAccepted("/api/search?q=%7B%7D&limit=5", "narrow");
        assertAccepted("/api/search?q=%7B%7D", "narrow"); // the default 20 is lowered to 5, not refused
        assertAccepted("/api/search?q=%7B%7D&limit=6", "wide");
        assertRefused("/api/search?q=%7B%7D&limit=6", "wide|narrow", "exceeds max limit 5");
    }

    @Test
    void theStreamingQuerierAppliesTheSameLimits() {
        int start = (int) START;
        int end = (int) START + 7200;
        String tooLong = "INVALID_ARGUMENT: range specified by start and end exceeds 1h0m0s";
        assertTrue(grpc("narrow", s -> s.search(SearchRequest.newBuilder().setQuery("{}").setStart(start).setEnd(end).build())
                .forEachRemaining(m -> { })).startsWith(tooLong));
        assertTrue(grpc("narrow", s -> s.search(SearchRequest.newBuilder().setQuery("{}").setLimit(6).build()).forEachRemaining(m -> { }))
                .startsWith("INVALID_ARGUMENT: limit 6 exceeds max limit 5"));
        assertTrue(grpc("narrow", s -> s.searchTags(SearchTagsRequest.newBuilder().setStart(start).setEnd(end).build())
                .forEachRemaining(m -> { })).startsWith(tooLong));
        assertTrue(grpc("narrow", s -> s.searchTagsV2(SearchTagsRequest.newBuilder().setStart(start).setEnd(end).build())
                .forEachRemaining(m -> { })).startsWith(tooLong));
        assertTrue(grpc("narrow", s -> s.searchTagValues(SearchTagValuesRequest.newBuilder().setTagName("service.name")
                .setStart(start).setEnd(end).build()).forEachRemaining(m -> { })).startsWith(tooLong));
        assertTrue(grpc("narrow", s -> s.searchTagValuesV2(SearchTagValuesRequest.newBuilder().setTagName("resource.service.name")
                .setStart(start).setEnd(end).build()).forEachRemaining(m -> { })).startsWith(tooLong));
        assertEquals("OK", grpc("wide", s -> s.searchTagsV2(SearchTagsRequest.newBuilder().setStart(start).setEnd(end).build())
                .forEachRemaining(m -> { })));
    }

    @Test
    void changingTheOverridesFileChangesAReadLimitWithoutRestart() throws Exception {
        String path = "/api/search/tags?" + TWO_HOURS;
        try {
            assertAccepted(path, "changing");
            Files.writeString(overridesFile, BASE_OVERRIDES + "  changing:\n    read: {max_search_duration: 1h, max_result_limit: 3}\n");
            assertTrue(server.reloadOverrides());
            assertRefused(path, "changing", "of tenant changing");
            assertRefused("/api/search?q=%7B%7D&limit=4", "changing", "exceeds max limit 3");
            Files.writeString(overridesFile, BASE_OVERRIDES + "  changing:\n    read: {max_search_duration: 3h}\n");
            assertTrue(server.reloadOverrides());
            assertAccepted(path, "changing");
            assertAccepted("/api/search?q=%7B%7D&limit=4", "changing");
        } finally {
            Files.writeString(overridesFile, BASE_OVERRIDES);
            server.reloadOverrides();
        }
    }

    @Test
    void aTagValueQueryGathersAtMostTheTenantsMaxBytesPerTagValuesQuery() {
        long[] nineSpans = {1, 2, 3, 4, 5, 6, 7, 8, 9}; // span names op-1 .. op-9, 4 bytes each
        for (String tenant : List.of("tagcapped", "plain")) {
            assertEquals(200, IngestSemanticsTest.send(otlp, IngestSemanticsTest.request("svc", 77, nineSpans), tenant).status().code());
        }
        assertEquals(5, valueCount(get("/api/v2/search/tag/name/values", "tagcapped").contentUtf8()), "20 bytes hold 5 names");
        assertEquals(9, valueCount(get("/api/v2/search/tag/name/values", "plain").contentUtf8()));
    }

    static int valueCount(String json) {
        return json.split("\"value\"", -1).length - 1;
    }

    /** A one-span trace whose span ended three days ago. */
    static ExportTraceServiceRequest threeDaysOld(long trace) {
        ExportTraceServiceRequest.Builder b = IngestSemanticsTest.request("svc", trace, 1).toBuilder();
        long end = System.currentTimeMillis() * 1_000_000L - 3L * 24 * 3600 * 1_000_000_000L;
        b.getResourceSpansBuilder(0).getScopeSpansBuilder(0).getSpansBuilder(0).setStartTimeUnixNano(end - 1000).setEndTimeUnixNano(end);
        return b.build();
    }

    static List<String> spans(long trace, String tenant) throws Exception {
        return IngestSemanticsTest.spanNames(IngestSemanticsTest.read(query, hexId(trace), tenant));
    }

    @Test
    void aTenantsBlockRetentionFromTheOverridesFileAppliesWithoutRestartWhileOtherTenantsKeepTheirBlocks() throws Exception {
        assertEquals(200, IngestSemanticsTest.send(otlp, threeDaysOld(1), "expiring").status().code());
        assertEquals(200, IngestSemanticsTest.send(otlp, threeDaysOld(2), "keeping").status().code());
        server.flushAndPoll();
        server.flushAndPoll(); // the ingester stops serving its flushed blocks (complete_block_timeout: 0s)
        server.compactAndPoll();
        assertEquals(List.of("op-1"), spans(1, "expiring"), "global retention 336h: kept");
        assertEquals(List.of("op-1"), spans(2, "keeping"));
        try {
            Files.writeString(overridesFile, BASE_OVERRIDES + "  expiring:\n    compaction: {block_retention: 48h}\n");
            assertTrue(server.reloadOverrides());
            server.compactAndPoll(); // retired: marked compacted
            server.compactAndPoll(); // grace period (0s) over: deleted
            assertEquals(List.of(), spans(1, "expiring"), "past the tenant's 48h retention: gone");
            assertEquals(List.of("op-1"), spans(2, "keeping"), "the other tenant keeps its block of the same age");
        } finally {
            Files.writeString(overridesFile, BASE_OVERRIDES);
            server.reloadOverrides();
        }
    }
}
