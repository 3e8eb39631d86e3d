package io.vivace.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.grpc.GrpcService;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.proto.tempopb.SearchRequest;
import io.vivace.common.proto.tempopb.SearchResponse;
import io.vivace.common.proto.tempopb.StreamingQuerierGrpc;
import io.vivace.common.limits.Overrides;
import io.vivace.common.limits.TenantLimits;
import io.vivace.common.query.TraceScanSource;
import io.vivace.common.tenant.TenantResolver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamingQuerierServiceTest {

    static final long NOW_SECONDS = System.currentTimeMillis() / 1000;

    Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop().join();
        }
    }

    /**
     * The search finishes on a scan thread before the gRPC method returns: its partial result is queued on the event
     * loop by then, and the final message must not overtake it (the stream used to fail and never complete).
     */
    @Test
    void searchThatFinishesBeforeTheCallReturnsStillStreamsEveryMessageInOrder() {
        Executor scanOnAnotherThreadAndWait = task -> {
            Thread scan = new Thread(task, "scan");
            scan.start();
            try {
                scan.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        start(1, scanOnAnotherThreadAndWait, StreamPackets.DEFAULT_MAX_BYTES);

        List<SearchResponse> messages = search(20);

        assertEquals(2, messages.size(), messages.toString()); // the partial result, then the complete one
        assertEquals(1, messages.get(0).getTracesCount());
        assertEquals("GET /cart 0", messages.get(1).getTraces(0).getRootTraceName());
    }

    @Test
    void aLargeResultArrivesInSeveralPacketsThatTogetherHoldEveryTrace() {
        start(100, Runnable::run, 1024);

        List<SearchResponse> messages = search(100);

        Set<String> traceIds = new HashSet<>();
        for (SearchResponse m : messages) {
            assertTrue(m.getSerializedSize() <= 1024, "packet of " + m.getSerializedSize() + " bytes");
            assertTrue(m.getMetrics().getInspectedTraces() > 0, "every packet repeats the metrics");
            m.getTracesList().forEach(t -> traceIds.add(t.getTraceID()));
        }
        assertTrue(messages.size() > 2, "messages: " + messages.size());
        assertEquals(100, traceIds.size());
    }

    void start(int traces, Executor scanExecutor, int maxPacketBytes) {
        TraceScanSource recent = (tenant, window, visitor) -> {
            for (int i = 0; i < traces && visitor.visit(trace(i)); i++) {
            }
        };
        TraceScanSource blocks = (tenant, window, visitor) -> { };
        SearchService search = new SearchService(recent, blocks, scanExecutor, Duration.ZERO, Overrides.fixed(TenantLimits.defaults()));
        server = Server.builder().http(0)
                .service(GrpcService.builder()
                        .addService(new StreamingQuerierService(new TenantResolver(false), search, maxPacketBytes)).build())
                .build();
        server.start().join();
    }

    List<SearchResponse> search(int limit) {
        List<SearchResponse> messages = new ArrayList<>();
        GrpcClients.builder("http://127.0.0.1:" + server.activeLocalPort())
                .responseTimeoutMillis(60_000).build(StreamingQuerierGrpc.StreamingQuerierBlockingStub.class)
                .search(SearchRequest.newBuilder().setQuery("{ }").setLimit(limit)
                        .setStart((int) (NOW_SECONDS - 3600)).setEnd((int) (NOW_SECONDS + 60)).build())
                .forEachRemaining(messages::add);
        return messages;
    }

    static TracesData trace(int i) {
        long start = (NOW_SECONDS - 60) * 1_000_000_000L;
        Span root = Span.newBuilder()
                .setTraceId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, (byte) i}))
                .setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, 1}))
                .setName("GET /cart " + i).setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .setStartTimeUnixNano(start).setEndTimeUnixNano(start + 250_000_000L)
                .build();
        KeyValue service = KeyValue.newBuilder().setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue("frontend")).build();
        return TracesData.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(service))
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(root))).build();
    }
}
