package io.vivace.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.vivace.common.proto.tempopb.TraceByIDResponse;
import com.google.protobuf.util.JsonFormat;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real OpenTelemetry SDK exporters (gRPC and HTTP) send traces with every attribute type, events and links;
 * every trace is read back by ID through v1 and v2, JSON and protobuf, from live data and again from blocks.
 */
class OtlpSdkRoundTripTest {

    @TempDir
    static Path dir;
    static VivaceServer server;
    static WebClient http;

    @BeforeAll
    static void start() throws Exception {
        server = VivaceServer.start(TestServers.config(dir, false));
        http = WebClient.of("http://127.0.0.1:" + server.queryPort());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Records what the SDK exports, and forwards it to the real OTLP exporter. */
    static final class Capturing implements SpanExporter {
        final SpanExporter delegate;
        final List<SpanData> exported = new ArrayList<>();

        Capturing(SpanExporter delegate) {
            this.delegate = delegate;
        }

        @Override
        public synchronized CompletableResultCode export(Collection<SpanData> spans) {
            CompletableResultCode result = delegate.export(spans);
            result.join(60, TimeUnit.SECONDS);
            assertTrue(result.isSuccess(), "export acknowledged");
            exported.addAll(spans);
            return result;
        }

        @Override
        public CompletableResultCode flush() {
            return delegate.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return delegate.shutdown();
        }
    }

    @Test
    void grpcExporterTracesReadBackSpanBySpan() throws Exception {
        SpanExporter exporter = OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + server.otlpGrpcPort()).build();
        roundTrip(exporter, "grpc-client");
    }

    @Test
    void gzipGrpcExporterTracesReadBackSpanBySpan() throws Exception {
        SpanExporter exporter = OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + server.otlpGrpcPort())
                .setCompression("gzip").build();
        roundTrip(exporter, "grpc-gzip-client");
    }

    @Test
    void httpExporterTracesReadBackSpanBySpan() throws Exception {
        SpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces").setCompression("gzip").build();
        roundTrip(exporter, "http-client");
    }

    private void roundTrip(SpanExporter otlp, String service) throws Exception {
        Capturing capturing = new Capturing(otlp);
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.builder()
                .put("service.name", service).put("k8s.namespace.name", "shop").put("host.cores", 8L).build()));
        try (SdkTracerProvider provider = SdkTracerProvider.builder().setResource(resource)
                .addSpanProcessor(SimpleSpanProcessor.create(capturing)).build()) {
            Tracer tracer = provider.get("io.vivace.test", "1.2.3");
            for (int t = 0; t < 5; t++) {
                writeTrace(tracer, t);
            }
            assertTrue(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess());
        }
        Map<String, List<ResourceSpans>> expected = expectedByTrace(capturing.exported);
        assertEquals(5, expected.size());

        assertAllReadBack(expected);       // live traces, straight after the export returned
        server.flushAndPoll();
        assertAllReadBack(expected);       // from the Parquet blocks
    }

    private static void writeTrace(Tracer tracer, int n) {
        Instant t0 = Instant.parse("2026-11-25T10:00:00Z").plusSeconds(n);
        Span root = tracer.spanBuilder("GET /api/items/{id}").setSpanKind(SpanKind.SERVER).setStartTimestamp(t0)
                .setAttribute("http.request.method", "GET")
                .setAttribute("http.response.status_code", 200L)
                .setAttribute("http.route", "/api/items/{id}")
                .setAttribute("ratio", 0.25)
                .setAttribute("cached", true)
                .setAttribute(AttributeKey.stringArrayKey("tags"), List.of("a", "b"))
                .setAttribute(AttributeKey.longArrayKey("sizes"), List.of(1L, 2L, 3L))
                .setAttribute(AttributeKey.doubleArrayKey("weights"), List.of(0.5, 1.5))
                .setAttribute(AttributeKey.booleanArrayKey("flags"), List.of(true, false))
                .setAttribute(AttributeKey.valueKey("details"), Value.of(KeyValue.of("user", Value.of("ann")), KeyValue.of("retries", Value.of(2L))))
                .setAttribute(AttributeKey.valueKey("blob"), Value.of(new byte[] {1, 2, 3}))
                .startSpan();
        Span child = tracer.spanBuilder("SELECT items").setSpanKind(SpanKind.CLIENT).setParent(Context.root().with(root))
                .setStartTimestamp(t0.plusMillis(5))
                .addLink(SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                        io.opentelemetry.api.trace.TraceFlags.getSampled(), io.opentelemetry.api.trace.TraceState.getDefault()),
                        Attributes.of(AttributeKey.stringKey("link.kind"), "follows"))
                .setAttribute("db.system", "postgresql")
                .startSpan();
        child.addEvent("exception", Attributes.of(AttributeKey.stringKey("exception.message"), "boom", AttributeKey.longKey("line"), 42L),
                t0.plusMillis(7));
        child.setStatus(StatusCode.ERROR, "query failed");
        child.end(t0.plusMillis(9));
        Span internal = tracer.spanBuilder("render").setParent(Context.root().with(root)).setStartTimestamp(t0.plusMillis(10)).startSpan();
        internal.setStatus(StatusCode.OK);
        internal.end(t0.plusMillis(12));
        root.end(t0.plusMillis(20));
    }

    /** What the SDK put on the wire, decoded with the generated OTLP classes, grouped by trace ID. */
    static Map<String, List<ResourceSpans>> expectedByTrace(List<SpanData> spans) throws Exception {
        Map<String, List<SpanData>> byTrace = new LinkedHashMap<>();
        for (SpanData s : spans) {
            byTrace.computeIfAbsent(s.getTraceId(), k -> new ArrayList<>()).add(s);
        }
        Map<String, List<ResourceSpans>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<SpanData>> e : byTrace.entrySet()) {
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            TraceRequestMarshaler.create(e.getValue()).writeBinaryTo(wire);
            out.put(e.getKey(), ExportTraceServiceRequest.parseFrom(wire.toByteArray()).getResourceSpansList());
        }
        return out;
    }

    private static void assertAllReadBack(Map<String, List<ResourceSpans>> expected) throws Exception {
        for (Map.Entry<String, List<ResourceSpans>> e : expected.entrySet()) {
            String id = e.getKey();
            TraceAssertions.assertSameSpans(e.getValue(), TracesData.parseFrom(get("/api/traces/" + id, true).content().array()));
            TraceAssertions.assertSameSpans(e.getValue(), v1Json(get("/api/traces/" + id, false).contentUtf8()));
            TraceByIDResponse v2 = TraceByIDResponse.parseFrom(get("/api/v2/traces/" + id, true).content().array());
            TraceAssertions.assertSameSpans(e.getValue(), TracesData.parseFrom(v2.getTrace().toByteArray()));
            TraceByIDResponse.Builder v2Json = TraceByIDResponse.newBuilder();
            JsonFormat.parser().merge(get("/api/v2/traces/" + id, false).contentUtf8(), v2Json);
            TraceAssertions.assertSameSpans(e.getValue(), TracesData.parseFrom(v2Json.getTrace().toByteArray()));
            assertTrue(v2Json.getMetrics().getInspectedBytes() > 0);
        }
    }

    private static TracesData v1Json(String body) throws Exception {
        assertTrue(body.startsWith("{\"batches\":["), body);
        TracesData.Builder trace = TracesData.newBuilder();
        JsonFormat.parser().merge(body.replaceFirst("\"batches\":", "\"resourceSpans\":"), trace);
        // IDs in Tempo's JSON are base64, as jsonpb writes bytes.
        assertTrue(body.contains("\"traceId\":\"" + java.util.Base64.getEncoder().encodeToString(
                trace.getResourceSpans(0).getScopeSpans(0).getSpans(0).getTraceId().toByteArray()) + "\""));
        return trace.build();
    }

    static AggregatedHttpResponse get(String path, boolean protobuf) {
        RequestHeaders headers = RequestHeaders.builder(HttpMethod.GET, path)
                .set(HttpHeaderNames.ACCEPT, protobuf ? "application/protobuf" : "application/json").build();
        AggregatedHttpResponse response = http.execute(headers).aggregate().join();
        assertEquals(200, response.status().code(), path + ": " + response.contentUtf8());
        return response;
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
