package io.vivace.distributor.receiver;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.AggregationOptions;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.ExchangeType;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.util.Exceptions;
import com.linecorp.armeria.server.AbstractHttpService;
import com.linecorp.armeria.server.RoutingContext;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.grpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.vivace.common.auth.AuthDecorator;
import io.vivace.common.tenant.TenantException;
import io.vivace.common.tenant.TenantId;
import io.vivace.common.tenant.TenantResolver;
import io.vivace.distributor.Distributor;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/**
 * OTLP {@code TraceService/Export} over gRPC, as a plain unary HTTP service: the request body is aggregated into one
 * pooled heap buffer, the 5-byte gRPC prefix is checked, and the message is handed to the distributor in place (no
 * protobuf objects, no grpc-java call machinery, no copy of the message); the buffer goes back to the pool once the
 * distributor has split the request. Supports {@code grpc-encoding: gzip}; answers
 * {@code INVALID_ARGUMENT} for bad input, {@code RESOURCE_EXHAUSTED} for messages over the limit and for rate limits
 * (with a {@code RetryInfo}), and the distributor's other refusals as trailers-only gRPC responses.
 */
public final class OtlpGrpcReceiver extends AbstractHttpService {

    public static final String PATH = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    private static final MediaType GRPC_PROTO = MediaType.parse("application/grpc+proto");
    private static final int PREFIX_BYTES = 5;
    /** An empty {@code ExportTraceServiceResponse}, framed: uncompressed, length 0. */
    private static final byte[] EMPTY_RESPONSE = new byte[PREFIX_BYTES];
    private static final HttpHeaders OK_TRAILERS = HttpHeaders.of("grpc-status", "0");
    /**
     * Where request bodies are aggregated: pooled heap buffers, so the splitter reads the body's array in place and a
     * request costs one copy out of the network buffers, with no array allocated (and zeroed) per request or per chunk.
     */
    private static final ByteBufAllocator BODY_BUFFERS = new PooledByteBufAllocator(false);

    private final Distributor distributor;
    private final TenantResolver tenants;
    private final int maxMessageBytes;

    private final ByteBufAllocator bodyBuffers;

    public OtlpGrpcReceiver(Distributor distributor, TenantResolver tenants, int maxMessageBytes) {
        this(distributor, tenants, maxMessageBytes, BODY_BUFFERS);
    }

    /** With the allocator request bodies are aggregated into (tests check that every buffer is released). */
    OtlpGrpcReceiver(Distributor distributor, TenantResolver tenants, int maxMessageBytes, ByteBufAllocator bodyBuffers) {
        this.distributor = distributor;
        this.tenants = tenants;
        this.maxMessageBytes = maxMessageBytes;
        this.bodyBuffers = bodyBuffers;
    }

    @Override
    public ExchangeType exchangeType(RoutingContext routingContext) {
        return ExchangeType.UNARY;
    }

    @Override
    protected HttpResponse doPost(ServiceRequestContext ctx, HttpRequest req) {
        MediaType type = req.contentType();
        if (type == null || !type.type().equals("application") || !(type.subtype().equals("grpc") || type.subtype().equals("grpc+proto"))) {
            return HttpResponse.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, MediaType.PLAIN_TEXT_UTF_8,
                    "content-type must be application/grpc or application/grpc+proto for OTLP gRPC, not " + type);
        }
        String tenant;
        try {
            tenant = tenants.resolveWrite(req.headers().getAll(TenantId.HEADER));
        } catch (TenantException e) {
            distributor.refusedUnread("unknown", "invalid_tenant");
            return failure(PushFailure.of(e));
        }
        GrpcEncoding encoding = GrpcEncoding.of(req.headers().get("grpc-encoding"));
        if (encoding == GrpcEncoding.UNSUPPORTED) {
            distributor.refusedUnread(tenant, "invalid_request");
            return failure(new PushFailure(400, Status.Code.UNIMPLEMENTED,
                    "grpc-encoding '" + req.headers().get("grpc-encoding") + "' is not supported; use gzip or identity", false));
        }
        // The whole frame must fit; a larger body is cut off while it arrives rather than buffered.
        ctx.setMaxRequestLength(PREFIX_BYTES + (long) maxMessageBytes);
        CompletableFuture<HttpResponse> response = req.aggregate(AggregationOptions.usePooledObjects(bodyBuffers))
                .thenCompose(body -> {
                    try {
                        return export(tenant, encoding, body);
                    } finally {
                        body.content().close(); // the distributor reads the body only while push runs
                    }
                })
                .exceptionally(error -> {
                    Throwable cause = Exceptions.peel(error);
                    if (cause instanceof ContentTooLargeException) {
                        return refuseTooLarge(tenant);
                    }
                    return failure(PushFailure.of(cause));
                });
        return HttpResponse.of(response);
    }

    private CompletableFuture<HttpResponse> export(String tenant, GrpcEncoding encoding, AggregatedHttpRequest request) {
        ByteBuf body = request.content().byteBuf();
        GrpcFrame frame;
        try {
            frame = body.hasArray()
                    ? GrpcFrame.parse(body.array(), body.arrayOffset() + body.readerIndex(), body.readableBytes(), encoding, maxMessageBytes)
                    // a body that arrived in one chunk is that chunk's (direct) network buffer
                    : GrpcFrame.parse(ByteBufUtil.getBytes(body), encoding, maxMessageBytes);
        } catch (GrpcFrame.TooLargeException e) {
            return CompletableFuture.completedFuture(refuseTooLarge(tenant));
        } catch (GrpcFrame.InvalidFrameException e) {
            distributor.refusedUnread(tenant, "invalid_request");
            return CompletableFuture.completedFuture(failure(new PushFailure(400, Status.Code.INVALID_ARGUMENT, e.getMessage(), false)));
        }
        return distributor.push(tenant, frame.bytes(), frame.offset(), frame.length())
                .handle((ok, error) -> error == null ? success() : failure(PushFailure.of(error)));
    }

    private HttpResponse refuseTooLarge(String tenant) {
        distributor.refusedUnread(tenant, "too_large");
        return failure(new PushFailure(413, Status.Code.RESOURCE_EXHAUSTED,
                "gRPC message larger than max_recv_msg_size_mib (" + maxMessageBytes + " bytes)", false));
    }

    private static HttpResponse success() {
        return HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK).contentType(GRPC_PROTO).add("grpc-encoding", "identity").build(),
                HttpData.wrap(EMPTY_RESPONSE), OK_TRAILERS);
    }

    /** A trailers-only response carrying the gRPC status, message and (for retryable refusals) a {@code RetryInfo}. */
    private static HttpResponse failure(PushFailure failure) {
        com.linecorp.armeria.common.ResponseHeadersBuilder headers = ResponseHeaders.builder(HttpStatus.OK).contentType(GRPC_PROTO)
                .add("grpc-status", Integer.toString(failure.grpcCode().value()))
                .add("grpc-message", AuthDecorator.percentEncode(failure.message()));
        if (failure.retryAfter()) {
            com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                    .setCode(failure.grpcCode().value())
                    .setMessage(failure.message())
                    .addDetails(Any.pack(RetryInfo.newBuilder()
                            .setRetryDelay(Duration.newBuilder().setSeconds(PushFailure.RETRY_AFTER_SECONDS)).build()))
                    .build();
            headers.add("grpc-status-details-bin", Base64.getEncoder().withoutPadding().encodeToString(status.toByteArray()));
        }
        return HttpResponse.of(headers.build());
    }
}
