package io.vivace.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.config.ConfigLoader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-tenant limits end to end: the ingestion rate (429 + Retry-After / RESOURCE_EXHAUSTED + RetryInfo) while other
 * tenants go on, changes of the overrides file without a restart, live-trace and trace-size limits (dropped and
 * counted, the export still succeeds, as in Tempo), attribute truncation, all visible in {@code /metrics}.
 * Rates are 1 byte/s so refills during the test cannot matter; reloads are triggered explicitly.
 */
class TenantLimitsTest {

    @TempDir
    static Path dir;
    static Path overridesFile;
    static VivaceServer server;
    static WebClient otlpHttp;
    static WebClient otlpGrpc;
    static WebClient query;

    @BeforeAll
    static void start() throws Exception {
        overridesFile = dir.resolve("overrides.yaml");
        // Room for two of the two-span requests used below, not three.
        long twoAndAHalf = IngestSemanticsTest.request("svc", 21, 1, 2).getSerializedSize() * 5L / 2;
        Files.writeString(overridesFile, """
                overrides:
                  slow:
                    ingestion: {rate_limit_bytes: 1, burst_size_bytes: 300}
                  few:
                    ingestion: {max_traces_per_user: 2}
                  small:
                    global: {max_bytes_per_trace: %d}
                  short:
                    ingestion: {max_attribute_bytes: 16}
                """.formatted(twoAndAHalf));
        String yaml = TestServers.yaml(dir, true, """
                overrides:
                  per_tenant_override_config: %s
                  per_tenant_override_period: 1h
                """.formatted(overridesFile));
        server = VivaceServer.start(new ConfigLoader().parse(yaml));
        otlpHttp = WebClient.of("http://127.0.0.1:" + server.otlpHttpPort());
        otlpGrpc = WebClient.of("h2c://127.0.0.1:" + server.otlpGrpcPort());
        query = WebClient.of("http://127.0.0.1:" + server.queryPort());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static AggregatedHttpResponse http(ExportTraceServiceRequest request, String tenant) {
        return IngestSemanticsTest.send(otlpHttp, request, tenant);
    }

    static AggregatedHttpResponse grpc(ExportTraceServiceRequest request, String tenant) {
        byte[] message = request.toByteArray();
        ByteBuffer frame = ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message);
        return otlpGrpc.execute(RequestHeaders.builder(HttpMethod.POST, "/opentelemetry.proto.collector.trace.v1.TraceService/Export")
                .contentType(MediaType.parse("application/grpc+proto")).set("te", "trailers").set("x-scope-orgid", tenant).build(),
                HttpData.wrap(frame.array())).aggregate().join();
    }

    static String grpcStatus(AggregatedHttpResponse r) {
        String s = r.trailers().get("grpc-status");
        return io.grpc.Status.fromCodeValue(Integer.parseInt(s != null ? s : r.headers().get("grpc-status"))).getCode().name();
    }

    static String metrics() {
        return query.get("/metrics").aggregate().join().contentUtf8();
    }

    static double metric(String name, String tenant, String reason) {
        for (String line : metrics().split("\n")) {
            if (line.startsWith(name + "{") && line.contains("tenant=\"" + tenant + "\"") && (reason == null || line.contains("reason=\"" + reason + "\""))) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    @Test
    void aTenantOverItsRateGets429WithRetryAfterWhileAnotherTenantIsUnaffected() throws Exception {
        ExportTraceServiceRequest request = IngestSemanticsTest.request("svc", 1, 1, 2); // ~110 bytes
        assertTrue(request.getSerializedSize() < 150 && request.getSerializedSize() > 75, "two fit the 300-byte burst");
        assertEquals(200, http(request, "slow").status().code());
        assertEquals(200, http(request, "slow").status().code());
        AggregatedHttpResponse limited = http(request, "slow");
        assertEquals(429, limited.status().code());
        assertEquals("5", limited.headers().get("retry-after"));
        assertTrue(com.google.rpc.Status.parseFrom(limited.content().array()).getMessage().startsWith("RATE_LIMITED"));

        AggregatedHttpResponse grpcLimited = grpc(request, "slow");
        assertEquals("RESOURCE_EXHAUSTED", grpcStatus(grpcLimited));
        String details = grpcLimited.trailers().get("grpc-status-details-bin");
        details = details != null ? details : grpcLimited.headers().get("grpc-status-details-bin");
        com.google.rpc.Status status = com.google.rpc.Status.parseFrom(Base64.getDecoder().decode(details));
        RetryInfo retry = status.getDetailsList().stream().filter(a -> a.is(RetryInfo.class)).findFirst().orElseThrow().unpack(RetryInfo.class);
        assertEquals(5, retry.getRetryDelay().getSeconds());

        for (int i = 0; i < 5; i++) {
            assertEquals(200, http(request, "unlimited-tenant").status().code(), "other tenants are unaffected");
        }
        assertEquals("OK", grpcStatus(grpc(request, "unlimited-tenant")));
        assertEquals(4.0, metric("vivace_distributor_spans_refused_total", "slow", "rate_limited"), "2 refusals x 2 spans");
    }

    @Test
    void anOverridesFileChangeTakesEffectWithoutRestart() throws Exception {
        ExportTraceServiceRequest request = IngestSemanticsTest.request("svc", 2, 1);
        assertEquals(200, http(request, "changing").status().code());
        String before = Files.readString(overridesFile);
        try {
            Files.writeString(overridesFile, before + "  changing:\n    ingestion: {rate_limit_bytes: 1, burst_size_bytes: 10}\n");
            assertTrue(server.reloadOverrides());
            assertEquals(429, http(request, "changing").status().code(), "new limit in force");
            Files.writeString(overridesFile, before + "  changing:\n    ingestion: {rate_limit_bytes: 1, burst_size_bytes: 100000}\n");
            assertTrue(server.reloadOverrides());
            assertEquals(200, http(request, "changing").status().code(), "raised again");
            Files.writeString(overridesFile, before + "  changing:\n    ingestion: {rate_limit_byte: 5}\n");
            try {
                server.reloadOverrides();
                throw new AssertionError("a broken file must be refused");
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().contains("rate_limit_byte"), e.getMessage());
            }
            assertEquals(200, http(request, "changing").status().code(), "the previous file stays in force");
        } finally {
            Files.writeString(overridesFile, before);
            server.reloadOverrides();
        }
    }

    @Test
    void liveTracesOverTheLimitAreDroppedAndCounted() throws Exception {
        for (long t = 11; t <= 13; t++) {
            assertEquals(200, http(IngestSemanticsTest.request("svc", t, 1, 2), "few").status().code(), "Tempo answers 200");
        }
        assertEquals(List.of("op-1", "op-2"), IngestSemanticsTest.spanNames(IngestSemanticsTest.read(query, IngestSemanticsTest.hexId(11), "few")));
        assertEquals(List.of(), IngestSemanticsTest.spanNames(IngestSemanticsTest.read(query, IngestSemanticsTest.hexId(13), "few")));
        assertEquals(2.0, metric("vivace_ingester_spans_discarded_total", "few", "live_traces_exceeded"));
    }

    @Test
    void spansTakingATraceOverMaxBytesAreDroppedAndCounted() throws Exception {
        assertEquals(200, http(IngestSemanticsTest.request("svc", 21, 1, 2), "small").status().code());
        assertEquals(200, http(IngestSemanticsTest.request("svc", 21, 3, 4), "small").status().code());
        assertEquals(200, http(IngestSemanticsTest.request("svc", 21, 5, 6), "small").status().code());
        List<String> stored = IngestSemanticsTest.spanNames(IngestSemanticsTest.read(query, IngestSemanticsTest.hexId(21), "small"));
        assertEquals(List.of("op-1", "op-2", "op-3", "op-4"), stored);
        assertEquals(2.0, metric("vivace_ingester_spans_discarded_total", "small", "trace_too_large"));
    }

    @Test
    void longAttributeValuesAreTruncatedAndCounted() throws Exception {
        ExportTraceServiceRequest base = IngestSemanticsTest.request("svc", 31, 1);
        String longValue = "é".repeat(40); // 80 bytes, 2 per character
        ExportTraceServiceRequest.Builder b = base.toBuilder();
        b.getResourceSpansBuilder(0).getScopeSpansBuilder(0).getSpansBuilder(0)
                .addAttributes(KeyValue.newBuilder().setKey("long").setValue(AnyValue.newBuilder().setStringValue(longValue)))
                .addAttributes(KeyValue.newBuilder().setKey("short").setValue(AnyValue.newBuilder().setStringValue("ok")));
        assertEquals(200, http(b.build(), "short").status().code());
        TracesData stored = IngestSemanticsTest.read(query, IngestSemanticsTest.hexId(31), "short");
        var attributes = stored.getResourceSpans(0).getScopeSpans(0).getSpans(0).getAttributesList();
        assertEquals("é".repeat(8), attributes.stream().filter(a -> a.getKey().equals("long")).findFirst().orElseThrow().getValue().getStringValue());
        assertEquals("ok", attributes.stream().filter(a -> a.getKey().equals("short")).findFirst().orElseThrow().getValue().getStringValue());
        assertEquals(1.0, metric("vivace_distributor_attributes_truncated_total", "short", null));
        assertEquals(1.0, metric("vivace_distributor_spans_truncated_total", "short", "attribute_too_large"));
    }
}
