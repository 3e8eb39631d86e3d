package io.vivace.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.proto.tempopb.TraceByIDResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server process is killed with SIGKILL while clients export; after a restart every span whose export was
 * acknowledged is returned by trace by ID. Traces are split over two requests so that a trace can be half
 * acknowledged at the moment of the kill.
 */
class CrashRecoveryTest {

    private static final int CLIENTS = 4;
    private static final int ACKS_BEFORE_KILL = 300;

    @TempDir
    Path dir;

    @Test
    void acknowledgedSpansSurviveSigkill() throws Exception {
        // A short idle period so some traces are already in head blocks (and one block flushed) at the kill.
        Path config = ServerProcess.writeConfig(dir, TestServers.yaml(dir, false, "").replace("flush_check_period: 1h",
                "flush_check_period: 50ms\n  trace_idle_period: 100ms\n  max_block_duration: 1s"));
        Map<String, Set<ByteString>> acked = new ConcurrentHashMap<>();
        CountDownLatch enoughAcks = new CountDownLatch(ACKS_BEFORE_KILL);
        AtomicBoolean stop = new AtomicBoolean();

        try (ServerProcess first = ServerProcess.start(config)) {
            TraceServiceGrpc.TraceServiceBlockingStub client = GrpcClients.builder("http://127.0.0.1:" + first.grpcPort)
                    .responseTimeoutMillis(10_000).build(TraceServiceGrpc.TraceServiceBlockingStub.class);
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            for (int c = 0; c < CLIENTS; c++) {
                int clientId = c;
                pool.submit(() -> {
                    for (int n = 0; !stop.get(); n++) {
                        byte[] traceId = traceId(clientId, n);
                        for (int part = 0; part < 2 && !stop.get(); part++) {
                            ExportTraceServiceRequest request = request(traceId, part);
                            try {
                                client.export(request);
                            } catch (RuntimeException e) {
                                return; // the server is gone
                            }
                            Set<ByteString> spans = acked.computeIfAbsent(HexFormat.of().formatHex(traceId), k -> ConcurrentHashMap.newKeySet());
                            request.getResourceSpans(0).getScopeSpans(0).getSpansList().forEach(s -> spans.add(s.getSpanId()));
                            enoughAcks.countDown();
                        }
                    }
                });
            }
            assertTrue(enoughAcks.await(2, TimeUnit.MINUTES), "clients got acknowledgements:\n" + first.output());
            first.kill();
            stop.set(true);
            pool.shutdown();
            assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
        }

        try (ServerProcess second = ServerProcess.start(config)) {
            WebClient http = WebClient.of("http://127.0.0.1:" + second.queryPort);
            int spansChecked = 0;
            for (Map.Entry<String, Set<ByteString>> e : acked.entrySet()) {
                AggregatedHttpResponse r = http.execute(RequestHeaders.builder(HttpMethod.GET, "/api/v2/traces/" + e.getKey())
                        .set("accept", "application/protobuf").build()).aggregate().join();
                assertEquals(200, r.status().code());
                TracesData trace = TracesData.parseFrom(TraceByIDResponse.parseFrom(r.content().array()).getTrace().toByteArray());
                Set<ByteString> found = new HashSet<>();
                trace.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> ss.getSpansList()
                        .forEach(s -> assertTrue(found.add(s.getSpanId()), "span stored once: " + e.getKey()))));
                assertTrue(found.containsAll(e.getValue()), "trace " + e.getKey() + " lost acknowledged spans");
                spansChecked += e.getValue().size();
            }
            assertTrue(spansChecked >= ACKS_BEFORE_KILL * 5, "checked " + spansChecked + " spans");
        }
    }

    private static byte[] traceId(int client, int n) {
        return ByteBuffer.allocate(16).putLong(0x5EED000000000000L | client).putLong(n + 1L).array();
    }

    private static ExportTraceServiceRequest request(byte[] traceId, int part) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (int i = 0; i < 5; i++) {
            long spanNumber = part * 5L + i + 1;
            scope.addSpans(Span.newBuilder().setTraceId(ByteString.copyFrom(traceId))
                    .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(spanNumber).array()))
                    .setName("op-" + spanNumber).setStartTimeUnixNano(System.currentTimeMillis() * 1_000_000L)
                    .setEndTimeUnixNano(System.currentTimeMillis() * 1_000_000L + 1000)
                    .addAttributes(KeyValue.newBuilder().setKey("part").setValue(AnyValue.newBuilder().setIntValue(part))));
        }
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue("svc-" + part))))
                .addScopeSpans(scope)).build();
    }
}
