package io.vivace.frontend;

import com.google.protobuf.Message;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.vivace.common.proto.tempopb.SearchRequest;
import io.vivace.common.proto.tempopb.SearchResponse;
import io.vivace.common.proto.tempopb.SearchTagValuesRequest;
import io.vivace.common.proto.tempopb.SearchTagValuesResponse;
import io.vivace.common.proto.tempopb.SearchTagValuesV2Response;
import io.vivace.common.proto.tempopb.SearchTagsRequest;
import io.vivace.common.proto.tempopb.SearchTagsResponse;
import io.vivace.common.proto.tempopb.SearchTagsV2Response;
import io.vivace.common.proto.tempopb.StreamingQuerierGrpc;
import io.vivace.common.tenant.TenantException;
import io.vivace.common.tenant.TenantResolver;
import io.vivace.common.traceql.TraceQLRuntimeException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tempo's {@code tempopb.StreamingQuerier} (what Grafana streams search over), served on the HTTP port. Each call
 * is validated like its HTTP twin; a search sends the traces found so far each time a job (recent data, a block)
 * completes, then one final message with the complete result. Tag calls send the final result only. A message
 * larger than the packet size is sent as several packets (see {@link StreamPackets}).
 */
public final class StreamingQuerierService extends StreamingQuerierGrpc.StreamingQuerierImplBase {

    private static final Logger log = LoggerFactory.getLogger(StreamingQuerierService.class);

    private final TenantResolver tenants;
    private final SearchService search;
    private final StreamPackets packets;

    public StreamingQuerierService(TenantResolver tenants, SearchService search) {
        this(tenants, search, StreamPackets.DEFAULT_MAX_BYTES);
    }

    /** {@code maxPacketBytes}: the largest message sent; bigger results are split into several. */
    StreamingQuerierService(TenantResolver tenants, SearchService search, int maxPacketBytes) {
        this.tenants = tenants;
        this.search = search;
        this.packets = new StreamPackets(maxPacketBytes);
    }

    @Override
    public void search(SearchRequest request, StreamObserver<SearchResponse> out) {
        try {
            List<String> tenantIds = tenants();
            Map<String, String> params = searchParams(request);
            SearchQuery query = search.parseSearch(tenantIds, params::get, params.keySet());
            Executor responses = responseExecutor();
            SearchService.Running<SearchResponse> running = search.search(tenantIds, query,
                    diff -> responses.execute(() -> send(out, packets.search(diff))));
            finish(running, out, responses, packets::search);
        } catch (TenantException | BadRequestException e) {
            out.onError(invalid(e));
        }
    }

    @Override
    public void searchTags(SearchTagsRequest request, StreamObserver<SearchTagsResponse> out) {
        try {
            List<String> tenantIds = tenants();
            TagQuery query = search.tagQuery(tenantIds, null, (int) request.getMaxTagsPerScope(), request.getStart(), request.getEnd());
            finish(search.tagsV1(tenantIds, TagNames.scope(request.getScope()), query), out, responseExecutor(), packets::tags);
        } catch (TenantException | BadRequestException e) {
            out.onError(invalid(e));
        }
    }

    @Override
    public void searchTagsV2(SearchTagsRequest request, StreamObserver<SearchTagsV2Response> out) {
        try {
            List<String> tenantIds = tenants();
            TagQuery query = search.tagQuery(tenantIds, request.getQuery(), (int) request.getMaxTagsPerScope(), request.getStart(), request.getEnd());
            finish(search.tagsV2(tenantIds, TagNames.scope(request.getScope()), query), out, responseExecutor(), packets::tagsV2);
        } catch (TenantException | BadRequestException e) {
            out.onError(invalid(e));
        }
    }

    @Override
    public void searchTagValues(SearchTagValuesRequest request, StreamObserver<SearchTagValuesResponse> out) {
        try {
            List<String> tenantIds = tenants();
            TagQuery query = search.tagQuery(tenantIds, null, (int) request.getMaxTagValues(), request.getStart(), request.getEnd());
            if (request.getTagName().isEmpty()) {
                throw new BadRequestException("please provide a non-empty tagName");
            }
            finish(search.tagValuesV1(tenantIds, request.getTagName(), query), out, responseExecutor(), packets::tagValues);
        } catch (TenantException | BadRequestException e) {
            out.onError(invalid(e));
        }
    }

    @Override
    public void searchTagValuesV2(SearchTagValuesRequest request, StreamObserver<SearchTagValuesV2Response> out) {
        try {
            List<String> tenantIds = tenants();
            TagQuery query = search.tagQuery(tenantIds, request.getQuery(), (int) request.getMaxTagValues(), request.getStart(), request.getEnd());
            finish(search.tagValuesV2(tenantIds, TagValues.parseV2(request.getTagName()), query), out, responseExecutor(),
                    packets::tagValuesV2);
        } catch (TenantException | BadRequestException e) {
            out.onError(invalid(e));
        }
    }

    /** The HTTP parameters Tempo's {@code BuildSearchRequest} would make of the request (0 = not given). */
    private static Map<String, String> searchParams(SearchRequest r) {
        Map<String, String> p = new HashMap<>();
        if (!r.getQuery().isEmpty()) {
            p.put("q", r.getQuery());
        }
        if (r.getTagsCount() > 0) {
            StringBuilder tags = new StringBuilder();
            r.getTagsMap().forEach((k, v) -> tags.append(tags.isEmpty() ? "" : " ").append(k).append("=\"")
                    .append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"'));
            p.put("tags", tags.toString());
        }
        if (r.getMinDurationMs() != 0) {
            p.put("minDuration", Integer.toUnsignedString(r.getMinDurationMs()) + "ms");
        }
        if (r.getMaxDurationMs() != 0) {
            p.put("maxDuration", Integer.toUnsignedString(r.getMaxDurationMs()) + "ms");
        }
        if (r.getLimit() != 0) {
            p.put("limit", Integer.toUnsignedString(r.getLimit()));
        }
        if (r.getSpansPerSpanSet() != 0) {
            p.put("spss", Integer.toUnsignedString(r.getSpansPerSpanSet()));
        }
        if (r.getStart() != 0 || r.getEnd() != 0) {
            p.put("start", Integer.toUnsignedString(r.getStart()));
            p.put("end", Integer.toUnsignedString(r.getEnd()));
        }
        return p;
    }

    /**
     * Every call on a response observer runs on the request's event loop, in submission order. Armeria sends a
     * message at once when called on the event loop but queues it when called from another thread, so a final
     * message sent from the event loop could overtake a partial result still queued by a scan thread; the call then
     * fails ("sendHeaders has not been called") and the stream is never completed.
     */
    private static Executor responseExecutor() {
        return ServiceRequestContext.current().eventLoop();
    }

    private static <T extends Message> void finish(SearchService.Running<T> running, StreamObserver<T> out, Executor responses,
                                                   Function<T, List<T>> split) {
        if (out instanceof ServerCallStreamObserver<T> call) {
            call.setOnCancelHandler(running.cancel()::run);
        }
        running.result().whenCompleteAsync((result, error) -> {
            if (error != null) {
                out.onError(failure(error));
            } else if (send(out, split.apply(result))) {
                out.onCompleted();
            }
        }, responses);
    }

    private static <T> boolean send(StreamObserver<T> out, List<T> packets) {
        try {
            for (T packet : packets) {
                out.onNext(packet);
            }
            return true;
        } catch (RuntimeException e) { // the client went away
            log.debug("stream closed before a result was sent: {}", e.toString());
            return false;
        }
    }

    private List<String> tenants() throws TenantException {
        ServiceRequestContext ctx = ServiceRequestContext.current();
        return tenants.resolveRead(ctx.request().headers().getAll("x-scope-orgid"));
    }

    private static RuntimeException invalid(Exception e) {
        if (e instanceof TenantException t && t.kind() == TenantException.Kind.MISSING) {
            return Status.UNKNOWN.withDescription(e.getMessage()).asRuntimeException();
        }
        return Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }

    private static RuntimeException failure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof TraceQLRuntimeException) {
            return Status.INVALID_ARGUMENT.withDescription("invalid TraceQL query: " + cause.getMessage()).asRuntimeException();
        }
        log.error("streaming search failed", cause);
        return Status.INTERNAL.withDescription(String.valueOf(cause.getMessage())).asRuntimeException();
    }
}
