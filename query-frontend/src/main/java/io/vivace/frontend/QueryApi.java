package io.vivace.frontend;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.limits.Overrides;
import io.vivace.common.proto.tempopb.PartialStatus;
import io.vivace.common.proto.tempopb.Trace;
import io.vivace.common.proto.tempopb.TraceByIDMetrics;
import io.vivace.common.proto.tempopb.TraceByIDResponse;
import io.vivace.common.query.TraceByIdSource;
import io.vivace.common.tenant.TenantException;
import io.vivace.common.tenant.TenantId;
import io.vivace.common.tenant.TenantResolver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Tempo-compatible HTTP query API: trace by ID (v1 and v2), {@code /ready}, {@code /api/echo} and
 * {@code /api/status/buildinfo}, with Tempo's status codes, plain-text errors and jsonpb-style JSON.
 */
public final class QueryApi {

    private static final Logger log = LoggerFactory.getLogger(QueryApi.class);
    private static final MediaType PROTOBUF = MediaType.create("application", "protobuf");
    private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();

    private final TenantResolver tenants;
    private final TraceLookup lookup;
    private final Overrides overrides;
    private final BuildInfo buildInfo;
    private final BooleanSupplier ready;

    /** {@code overrides}: each tenant's {@code global.max_bytes_per_trace} caps the traces it reads. */
    public QueryApi(TenantResolver tenants, TraceByIdSource recent, TraceByIdSource blocks, Overrides overrides,
                    BuildInfo buildInfo, BooleanSupplier ready) {
        this.tenants = tenants;
        this.lookup = new TraceLookup(recent, blocks);
        this.overrides = overrides;
        this.buildInfo = buildInfo;
        this.ready = ready;
    }

    public void registerRoutes(ServerBuilder sb) {
        sb.service("/ready", (ctx, req) -> ready.getAsBoolean()
                ? HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "ready\n")
                : HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.PLAIN_TEXT_UTF_8, "Application is starting or stopping\n"));
        sb.service("/api/echo", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "echo\n"));
        sb.service("/api/status/buildinfo", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.JSON, buildInfo.toJson()));
        sb.service("/api/traces/{traceId}", (ctx, req) -> traceById(ctx, req, false));
        sb.service("/api/v2/traces/{traceId}", (ctx, req) -> traceById(ctx, req, true));
    }

    private HttpResponse traceById(ServiceRequestContext ctx, HttpRequest req, boolean v2) {
        List<String> tenantIds;
        TraceByIdRequest request;
        try {
            tenantIds = tenants.resolveRead(req.headers().getAll(TenantId.HEADER));
            QueryParams params = ctx.queryParams();
            request = TraceByIdRequest.parse(ctx.pathParam("traceId"), params.get("start"), params.get("end"), params.get("mode"));
        } catch (TenantException e) {
            return text(e.kind() == TenantException.Kind.MISSING ? HttpStatus.UNAUTHORIZED : HttpStatus.BAD_REQUEST, e.getMessage());
        } catch (BadRequestException e) {
            return text(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        boolean protobuf = wantsProtobuf(req);
        long maxBytes = maxBytesPerTrace(tenantIds);
        CompletableFuture<HttpResponse> response = lookup.find(tenantIds, request)
                .thenApply(result -> v2 ? v2Response(result, protobuf, maxBytes) : v1Response(result, protobuf, maxBytes))
                .exceptionally(error -> {
                    log.error("trace by id {} failed", request.traceId(), error);
                    return text(HttpStatus.INTERNAL_SERVER_ERROR, "error finding trace: " + rootMessage(error));
                });
        return HttpResponse.of(response);
    }

    /** The smallest {@code max_bytes_per_trace} of the tenants read; {@code Long.MAX_VALUE} when none is set (0). */
    private long maxBytesPerTrace(List<String> tenantIds) {
        return tenantIds.stream().mapToLong(t -> overrides.forTenant(t).maxBytesPerTrace())
                .filter(max -> max > 0).min().orElse(Long.MAX_VALUE);
    }

    private HttpResponse v1Response(TraceLookup.Result result, boolean protobuf, long maxBytesPerTrace) {
        TracesData trace = result.trace();
        if (trace.getResourceSpansCount() == 0) {
            return HttpResponse.of(HttpStatus.NOT_FOUND, MediaType.PLAIN_TEXT_UTF_8, "");
        }
        if (trace.getSerializedSize() > maxBytesPerTrace) {
            return text(HttpStatus.UNPROCESSABLE_ENTITY, "trace exceeds max size (max bytes: " + maxBytesPerTrace + ")");
        }
        if (protobuf) {
            return HttpResponse.of(HttpStatus.OK, PROTOBUF, trace.toByteArray());
        }
        String json = toJson(trace).replaceFirst("\"resourceSpans\":", "\"batches\":");
        return HttpResponse.of(HttpStatus.OK, MediaType.JSON, json);
    }

    private HttpResponse v2Response(TraceLookup.Result result, boolean protobuf, long maxBytesPerTrace) {
        TracesData trace = result.trace();
        TraceByIDResponse.Builder body = TraceByIDResponse.newBuilder()
                .setMetrics(TraceByIDMetrics.newBuilder().setInspectedBytes(result.inspectedBytes()));
        if (trace.getSerializedSize() > maxBytesPerTrace) {
            trace = TraceSizeLimit.truncate(trace, maxBytesPerTrace);
            body.setStatus(PartialStatus.PARTIAL)
                    .setMessage("Trace exceeds maximum size of " + maxBytesPerTrace + " bytes, a partial trace is returned");
        }
        body.setTrace(Trace.newBuilder().addAllResourceSpans(trace.getResourceSpansList()));
        return protobuf
                ? HttpResponse.of(HttpStatus.OK, PROTOBUF, body.build().toByteArray())
                : HttpResponse.of(HttpStatus.OK, MediaType.JSON, toJson(body));
    }

    /** Tempo's rule: protobuf if the Accept header mentions it anywhere (weights are not parsed), else JSON. */
    private static boolean wantsProtobuf(HttpRequest req) {
        String accept = req.headers().get(HttpHeaderNames.ACCEPT, "");
        return accept.contains("application/protobuf");
    }

    private static String toJson(MessageOrBuilder message) {
        try {
            return JSON.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }

    private static HttpResponse text(HttpStatus status, String message) {
        return HttpResponse.of(status, MediaType.PLAIN_TEXT_UTF_8, message);
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return String.valueOf(e.getMessage());
    }
}
