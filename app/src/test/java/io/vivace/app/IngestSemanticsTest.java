package io.vivace.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How ingested spans become traces: assembly across requests and services, dedupe, restart, tenants. */
class IngestSemanticsTest {

    @TempDir
    Path dir;

    static ExportTraceServiceRequest request(String service, long traceNumber, long... spanNumbers) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (long n : spanNumbers) {
            scope.addSpans(Span.newBuilder().setTraceId(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(7).putLong(traceNumber).array()))
                    .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(n).array())).setName("op-" + n)
                    .setStartTimeUnixNano(1_700_000_000_000_000_000L + n).setEndTimeUnixNano(1_700_000_000_000_000_000L + n + 10));
        }
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue(service))))
                .addScopeSpans(scope)).build();
    }

    static String hexId(long traceNumber) {
        return String.format("%016x%016x", 7, traceNumber);
    }

    static AggregatedHttpResponse send(WebClient otlp, ExportTraceServiceRequest request, String tenant) {
        var h = RequestHeaders.builder(HttpMethod.POST, "/v1/traces").contentType(MediaType.parse("application/x-protobuf"));
        if (tenant != null) {
            h.set("X-Scope-OrgID", tenant);
        }
        return otlp.execute(h.build(), HttpData.wrap(request.toByteArray())).aggregate().join();
    }

    static TracesData read(WebClient query, String id, String tenant) throws Exception {
        var h = RequestHeaders.builder(HttpMethod.GET, "/api/traces/" + id).set("accept", "application/protobuf");
        if (tenant != null) {
            h.set("X-Scope-OrgID", tenant);
        }
        AggregatedHttpResponse r = query.execute(h.build()).aggregate().join();
        if (r.status().code() == 404) {
            return TracesData.getDefaultInstance();
        }
        assertEquals(200, r.status().code(), r.contentUtf8());
        return TracesData.parseFrom(r.content().array());
    }

    static List<String> spanNames(TracesData trace) {
        List<String> names = new ArrayList<>();
        trace.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(s -> names.add(s.getName()))));
        names.sort(null);
        return names;
    }

    @Test
    void traceAssembledAcrossRequestsAndServicesAndDuplicatesStoredOnce() throws Exception {
        try (VivaceServer server = VivaceServer.start(TestServers.config(dir, false))) {
            WebClient otlp = WebClient.of("http://127.0.0.1:" + server.otlpHttpPort());
            WebClient query = WebClient.of("http://127.0.0.1:" + server.queryPort());
            assertEquals(200, send(otlp, request("frontend", 1, 1, 2), null).status().code());
            // Read-after-write: visible as soon as the export returned.
            assertEquals(List.of("op-1", "op-2"), spanNames(read(query, hexId(1), null)));
            assertEquals(200, send(otlp, request("backend", 1, 3), null).status().code());
            assertEquals(200, send(otlp, request("frontend", 1, 1, 2), null).status().code()); // a retry: same spans again
            assertEquals(List.of("op-1", "op-2", "op-3"), spanNames(read(query, hexId(1), null)));
            assertEquals(2, read(query, hexId(1), null).getResourceSpansCount(), "two services");

            server.flushAndPoll();
            assertEquals(200, send(otlp, request("frontend", 1, 2, 4), null).status().code()); // late span after the flush
            TracesData combined = read(query, hexId(1), null);
            assertEquals(List.of("op-1", "op-2", "op-3", "op-4"), spanNames(combined));
        }
    }

    @Test
    void gracefulShutdownFlushesAndRestartServesFromBlocks() throws Exception {
        try (VivaceServer server = VivaceServer.start(TestServers.config(dir, false))) {
            WebClient otlp = WebClient.of("http://127.0.0.1:" + server.otlpHttpPort());
            for (int t = 1; t <= 20; t++) {
                assertEquals(200, send(otlp, request("svc", t, 1, 2, 3), null).status().code());
            }
        }
        try (Stream<Path> blocks = Files.walk(dir.resolve("blocks"))) {
            assertTrue(blocks.anyMatch(p -> p.getFileName().toString().equals("meta.json")), "shutdown wrote a block");
        }
        try (Stream<Path> segments = Files.list(dir.resolve("wal").resolve("segments"))) {
            long bytes = segments.mapToLong(p -> p.toFile().length()).sum();
            assertTrue(bytes < 1024, "WAL holds no data after a clean flush, has " + bytes + " bytes");
        }
        try (VivaceServer server = VivaceServer.start(TestServers.config(dir, false))) {
            WebClient query = WebClient.of("http://127.0.0.1:" + server.queryPort());
            for (int t = 1; t <= 20; t++) {
                assertEquals(List.of("op-1", "op-2", "op-3"), spanNames(read(query, hexId(t), null)));
            }
        }
    }

    @Test
    void tenantsAreSeparateWhenMultitenancyIsOn() throws Exception {
        try (VivaceServer server = VivaceServer.start(TestServers.config(dir, true))) {
            WebClient otlp = WebClient.of("http://127.0.0.1:" + server.otlpHttpPort());
            WebClient query = WebClient.of("http://127.0.0.1:" + server.queryPort());
            assertEquals(401, send(otlp, request("svc", 1, 1), null).status().code(), "no tenant header");
            assertEquals(400, send(otlp, request("svc", 1, 1), "a|b").status().code(), "writes go to one tenant");
            assertEquals(400, send(otlp, request("svc", 1, 1), "bad tenant").status().code());
            assertEquals(200, send(otlp, request("svc", 1, 1), "team-a").status().code());

            assertEquals(List.of("op-1"), spanNames(read(query, hexId(1), "team-a")));
            assertEquals(List.of(), spanNames(read(query, hexId(1), "team-b")));
            assertEquals(List.of("op-1"), spanNames(read(query, hexId(1), "team-b|team-a")));
            AggregatedHttpResponse noTenant = query.get("/api/traces/" + hexId(1)).aggregate().join();
            assertEquals(401, noTenant.status().code());
            server.flushAndPoll();
            assertEquals(List.of(), spanNames(read(query, hexId(1), "team-b")));
            assertEquals(List.of("op-1"), spanNames(read(query, hexId(1), "team-a")));
        }
    }
}
