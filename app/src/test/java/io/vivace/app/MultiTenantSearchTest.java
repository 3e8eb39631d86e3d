package io.vivace.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.vivace.common.proto.tempopb.SearchResponse;
import io.vivace.common.proto.tempopb.TraceSearchMetadata;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With multitenancy on, a search sees only the header's tenants; {@code a|b} searches both. */
class MultiTenantSearchTest {

    @TempDir
    static Path dir;
    static VivaceServer server;
    static WebClient http;

    @BeforeAll
    static void start() throws Exception {
        server = VivaceServer.start(TestServers.config(dir, true));
        http = WebClient.of("http://127.0.0.1:" + server.queryPort());
        export("a", "0000000000000000000000000000000a");
        export("b", "0000000000000000000000000000000b");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static void export(String tenant, String traceId) {
        Span root = SearchEndToEndTest.span(traceId, "0000000000000001", "", "op-" + tenant, 0, 5, Span.SpanKind.SPAN_KIND_SERVER, false);
        byte[] body = ExportTraceServiceRequest.newBuilder().addResourceSpans(SearchEndToEndTest.resource("svc-" + tenant, root))
                .build().toByteArray();
        AggregatedHttpResponse r = WebClient.of("http://127.0.0.1:" + server.otlpHttpPort()).execute(
                RequestHeaders.builder(HttpMethod.POST, "/v1/traces").contentType(MediaType.PROTOBUF).add("X-Scope-OrgID", tenant).build(),
                body).aggregate().join();
        assertEquals(200, r.status().code(), r.contentUtf8());
    }

    static AggregatedHttpResponse search(String tenantHeader) {
        com.linecorp.armeria.common.RequestHeadersBuilder h = RequestHeaders.builder(HttpMethod.GET, "/api/search?q=%7B%7D");
        if (tenantHeader != null) {
            h.add("X-Scope-OrgID", tenantHeader);
        }
        return http.execute(h.build()).aggregate().join();
    }

    static List<String> ids(String tenantHeader) throws Exception {
        AggregatedHttpResponse r = search(tenantHeader);
        assertEquals(200, r.status().code(), r.contentUtf8());
        SearchResponse.Builder b = SearchResponse.newBuilder();
        JsonFormat.parser().merge(r.contentUtf8(), b);
        return b.getTracesList().stream().map(TraceSearchMetadata::getTraceID).sorted().toList();
    }

    @Test
    void searchesTheHeadersTenants() throws Exception {
        assertEquals(List.of("a"), ids("a"));
        assertEquals(List.of("b"), ids("b"));
        assertEquals(List.of("a", "b"), ids("a|b"));
        assertEquals(401, search(null).status().code());
        assertEquals(400, search("a b").status().code());
    }
}
