package io.vivace.distributor.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vivace.common.ingest.IngestBatch;
import io.vivace.common.tenant.TenantResolver;
import io.vivace.distributor.Distributor;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The receiver over a real HTTP/2 connection: what reaches the ingest path, and that every body buffer is released. */
class OtlpGrpcReceiverTest {

    private final List<IngestBatch> pushed = new CopyOnWriteArrayList<>();
    /** Every body buffer the receiver took from {@link #bodyBuffers}. */
    private final List<ByteBuf> bodies = new CopyOnWriteArrayList<>();
    private final AbstractByteBufAllocator bodyBuffers = new AbstractByteBufAllocator(false) {
        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf buffer = Unpooled.buffer(initialCapacity, maxCapacity);
            bodies.add(buffer);
            return buffer;
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            throw new UnsupportedOperationException("the receiver aggregates into heap buffers");
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    };
    private Server server;
    private WebClient client;

    @BeforeEach
    void start() {
        Distributor distributor = new Distributor(batch -> {
            pushed.add(batch);
            return CompletableFuture.completedFuture(null);
        }, new SimpleMeterRegistry());
        server = Server.builder().http(0)
                .service(OtlpGrpcReceiver.PATH, new OtlpGrpcReceiver(distributor, new TenantResolver(false), 4 << 20, bodyBuffers))
                .build();
        server.start().join();
        client = WebClient.of(SessionProtocol.H2C, com.linecorp.armeria.client.Endpoint.of("127.0.0.1", server.activeLocalPort()));
    }

    @AfterEach
    void stop() {
        server.stop().join();
    }

    private static ExportTraceServiceRequest request(int spans) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (int i = 0; i < spans; i++) {
            byte[] traceId = new byte[16];
            traceId[0] = 1;
            traceId[15] = (byte) (i % 7);
            scope.addSpans(Span.newBuilder().setTraceId(ByteString.copyFrom(traceId))
                    .setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 1, (byte) (i >> 8), (byte) i}))
                    .setName("operation with a name long enough to make the request span many HTTP/2 frames " + i)
                    .setStartTimeUnixNano(1_000_000 + i).setEndTimeUnixNano(2_000_000 + i));
        }
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope)).build();
    }

    private AggregatedHttpResponse export(byte[] message) {
        RequestHeaders headers = RequestHeaders.builder(HttpMethod.POST, OtlpGrpcReceiver.PATH)
                .contentType(MediaType.parse("application/grpc")).build();
        return client.execute(HttpRequest.of(headers, com.linecorp.armeria.common.HttpData.wrap(GrpcFrameTest.frame(0, message))))
                .aggregate().join();
    }

    @Test
    void splitsRequestsOfOneAndManyFramesAndReleasesEveryBodyBuffer() {
        // 2 spans fit one DATA frame; 3000 spans (~400 KB) arrive in many and are aggregated into a pooled buffer
        for (int spans : new int[] {2, 3000, 3000, 2}) {
            AggregatedHttpResponse response = export(request(spans).toByteArray());
            assertEquals("0", response.trailers().get("grpc-status"), response.toString());
        }
        assertEquals(List.of(2, 3000, 3000, 2), pushed.stream().map(IngestBatch::spanCount).toList());
        assertEquals(2, bodies.size(), "the bodies of many frames are aggregated into the receiver's buffers");
        assertEquals(List.of(0, 0), bodies.stream().map(ByteBuf::refCnt).toList(), "body buffers not released");
    }

    @Test
    void releasesTheBodyBufferOfARefusedRequest() {
        byte[] notProtobuf = new byte[100_000];
        java.util.Arrays.fill(notProtobuf, (byte) 0xff);
        AggregatedHttpResponse response = export(notProtobuf);
        assertEquals("3", response.headers().get("grpc-status"), response.toString()); // INVALID_ARGUMENT
        assertEquals(List.of(), pushed);
        assertEquals(1, bodies.size());
        assertEquals(0, bodies.getFirst().refCnt(), "body buffer not released");
    }
}
