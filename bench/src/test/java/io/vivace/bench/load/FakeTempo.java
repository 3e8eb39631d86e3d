package io.vivace.bench.load;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.grpc.GrpcService;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vivace.common.proto.tempopb.Trace;
import io.vivace.common.proto.tempopb.TraceByIDMetrics;
import io.vivace.common.proto.tempopb.TraceByIDResponse;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A tiny in-memory stand-in for the server: OTLP gRPC and OTLP/HTTP ingest, and {@code GET /api/v2/traces/{id}}
 * answering a protobuf {@code TraceByIDResponse} from what was received for the caller's tenant.
 */
final class FakeTempo {
    private static final String NO_TENANT = "<none>";
    private static final MediaType PROTOBUF = MediaType.create("application", "protobuf");

    private record Stored(Resource resource, InstrumentationScope scope, Span span) {}

    /** tenant -> trace ID (hex) -> spans in arrival order */
    private final Map<String, Map<String, List<Stored>>> traces = new ConcurrentHashMap<>();
    private final Set<String> ingestTenants = ConcurrentHashMap.newKeySet();
    private final Set<String> ingestContentTypes = ConcurrentHashMap.newKeySet();
    private final Set<String> queryAcceptHeaders = ConcurrentHashMap.newKeySet();
    private final AtomicInteger exportRequests = new AtomicInteger();
    private final AtomicInteger spansReceived = new AtomicInteger();
    private final AtomicReference<Status> grpcFailure = new AtomicReference<>();
    private final AtomicReference<HttpStatus> httpFailure = new AtomicReference<>();
    private final AtomicReference<UnaryOperator<Trace>> tamper = new AtomicReference<>(UnaryOperator.identity());

    void reset() {
        traces.clear();
        ingestTenants.clear();
        ingestContentTypes.clear();
        queryAcceptHeaders.clear();
        exportRequests.set(0);
        spansReceived.set(0);
        grpcFailure.set(null);
        httpFailure.set(null);
        tamper.set(UnaryOperator.identity());
    }

    void configure(ServerBuilder sb) {
        sb.http(0);
        sb.service(GrpcService.builder().addService(new TraceServiceGrpc.TraceServiceImplBase() {
            @Override
            public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> response) {
                Status failure = grpcFailure.get();
                if (failure != null) {
                    response.onError(failure.asRuntimeException());
                    return;
                }
                store(tenantOf(ServiceRequestContext.current()), request);
                response.onNext(ExportTraceServiceResponse.getDefaultInstance());
                response.onCompleted();
            }
        }).build());
        sb.service("/v1/traces", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(agg -> otlpHttp(ctx, agg))));
        sb.service("/api/v2/traces/{id}", traceById());
    }

    private HttpResponse otlpHttp(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        HttpStatus failure = httpFailure.get();
        if (failure != null) return HttpResponse.of(failure, MediaType.PLAIN_TEXT_UTF_8, "failing on purpose");
        ingestContentTypes.add(String.valueOf(request.contentType()));
        try {
            store(tenantOf(ctx), ExportTraceServiceRequest.parseFrom(request.content().array()));
        } catch (InvalidProtocolBufferException e) {
            return HttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.PLAIN_TEXT_UTF_8, e.getMessage());
        }
        return HttpResponse.of(HttpStatus.OK, HttpOtlpSender.X_PROTOBUF,
            ExportTraceServiceResponse.getDefaultInstance().toByteArray());
    }

    private HttpService traceById() {
        return (ctx, req) -> {
            queryAcceptHeaders.add(String.valueOf(req.headers().get("accept")));
            String id = ctx.pathParam("id").toLowerCase();
            List<Stored> stored = traces.getOrDefault(tenantOf(ctx), Map.of()).getOrDefault(id, List.of());
            Trace trace;
            synchronized (stored) {
                trace = tamper.get().apply(group(stored));
            }
            TraceByIDResponse response = TraceByIDResponse.newBuilder()
                .setTrace(trace)
                .setMetrics(TraceByIDMetrics.newBuilder().setInspectedBytes(trace.getSerializedSize()))
                .build();
            return HttpResponse.of(HttpStatus.OK, PROTOBUF, response.toByteArray());
        };
    }

    private void store(String tenant, ExportTraceServiceRequest request) {
        exportRequests.incrementAndGet();
        ingestTenants.add(tenant);
        Map<String, List<Stored>> byTrace = traces.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>());
        for (ResourceSpans rs : request.getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    List<Stored> list = byTrace.computeIfAbsent(hex(span.getTraceId()), k -> new ArrayList<>());
                    synchronized (list) {
                        list.add(new Stored(rs.getResource(), ss.getScope(), span));
                    }
                    spansReceived.incrementAndGet();
                }
            }
        }
    }

    /** Regroups a trace's spans under their resource and scope, as a real backend would. */
    private static Trace group(List<Stored> spans) {
        Map<Resource, Map<InstrumentationScope, ScopeSpans.Builder>> grouped = new LinkedHashMap<>();
        for (Stored s : spans) {
            grouped.computeIfAbsent(s.resource(), r -> new LinkedHashMap<>())
                .computeIfAbsent(s.scope(), sc -> ScopeSpans.newBuilder().setScope(sc))
                .addSpans(s.span());
        }
        Trace.Builder trace = Trace.newBuilder();
        grouped.forEach((resource, scopes) -> {
            ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(resource);
            scopes.values().forEach(rs::addScopeSpans);
            trace.addResourceSpans(rs);
        });
        return trace.build();
    }

    private static String tenantOf(ServiceRequestContext ctx) {
        String tenant = ctx.request().headers().get("x-scope-orgid");
        return tenant == null ? NO_TENANT : tenant;
    }

    private static String hex(ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    int spansReceived() {
        return spansReceived.get();
    }

    int exportRequests() {
        return exportRequests.get();
    }

    int traceCount(String tenant) {
        return traces.getOrDefault(tenant == null ? NO_TENANT : tenant, Map.of()).size();
    }

    Set<String> ingestTenants() {
        return Set.copyOf(ingestTenants);
    }

    Set<String> ingestContentTypes() {
        return Set.copyOf(ingestContentTypes);
    }

    Set<String> queryAcceptHeaders() {
        return Set.copyOf(queryAcceptHeaders);
    }

    void failGrpcExports(Status status) {
        grpcFailure.set(status);
    }

    void failHttpExports(HttpStatus status) {
        httpFailure.set(status);
    }

    void tamper(UnaryOperator<Trace> operator) {
        tamper.set(operator);
    }
}
