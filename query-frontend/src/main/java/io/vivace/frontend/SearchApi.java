package io.vivace.frontend;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.vivace.common.tenant.TenantException;
import io.vivace.common.tenant.TenantId;
import io.vivace.common.tenant.TenantResolver;
import io.vivace.common.traceql.Attribute;
import io.vivace.common.traceql.TraceQLRuntimeException;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP search API: {@code /api/search}, tag names v1/v2 and tag values v1/v2, with Tempo's parameters, status
 * codes, plain-text errors and jsonpb JSON (or protobuf when the Accept header asks for it).
 */
public final class SearchApi {

    private static final Logger log = LoggerFactory.getLogger(SearchApi.class);
    private static final MediaType PROTOBUF = MediaType.create("application", "protobuf");
    private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();

    private final TenantResolver tenants;
    private final SearchService search;

    public SearchApi(TenantResolver tenants, SearchService search) {
        this.tenants = tenants;
        this.search = search;
    }

    public void registerRoutes(ServerBuilder sb) {
        sb.service("/api/search", this::search);
        sb.service("/api/search/tags", (ctx, req) -> tags(ctx, req, false));
        sb.service("/api/v2/search/tags", (ctx, req) -> tags(ctx, req, true));
        // Tag names may hold '/', as Tempo's {tagName:.*} on the decoded path.
        sb.service("regex:^/api/search/tag/(?<tagName>.*)/values$", (ctx, req) -> tagValues(ctx, req, false));
        sb.service("regex:^/api/v2/search/tag/(?<tagName>.*)/values$", (ctx, req) -> tagValues(ctx, req, true));
    }

    private HttpResponse search(ServiceRequestContext ctx, HttpRequest req) {
        try {
            List<String> tenantIds = tenants(req);
            QueryParams params = ctx.queryParams();
            SearchQuery query = search.parseSearch(tenantIds, params::get, params.names());
            SearchService.Running<io.vivace.common.proto.tempopb.SearchResponse> running = search.search(tenantIds, query, diff -> { });
            return respond(ctx, req, running);
        } catch (TenantException e) {
            return tenantError(e);
        } catch (BadRequestException e) {
            return text(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    private HttpResponse tags(ServiceRequestContext ctx, HttpRequest req, boolean v2) {
        try {
            List<String> tenantIds = tenants(req);
            QueryParams params = ctx.queryParams();
            String scope = TagNames.scope(params.get("scope"));
            TagQuery query = search.parseTagQuery(tenantIds, v2 ? params.get("q") : null, params.get("limit"), params.get("start"), params.get("end"));
            return respond(ctx, req, v2 ? search.tagsV2(tenantIds, scope, query) : search.tagsV1(tenantIds, scope, query));
        } catch (TenantException e) {
            return tenantError(e);
        } catch (BadRequestException e) {
            return text(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    private HttpResponse tagValues(ServiceRequestContext ctx, HttpRequest req, boolean v2) {
        try {
            List<String> tenantIds = tenants(req);
            QueryParams params = ctx.queryParams();
            String tagName = ctx.pathParam("tagName");
            if (tagName == null || tagName.isEmpty()) {
                throw new BadRequestException("please provide a non-empty tagName");
            }
            TagQuery query = search.parseTagQuery(tenantIds, v2 ? params.get("q") : null, params.get("limit"), params.get("start"), params.get("end"));
            if (v2) {
                Attribute attribute = TagValues.parseV2(tagName);
                return respond(ctx, req, search.tagValuesV2(tenantIds, attribute, query));
            }
            return respond(ctx, req, search.tagValuesV1(tenantIds, tagName, query));
        } catch (TenantException e) {
            return tenantError(e);
        } catch (BadRequestException e) {
            return text(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    private List<String> tenants(HttpRequest req) throws TenantException {
        return tenants.resolveRead(req.headers().getAll(TenantId.HEADER));
    }

    private static HttpResponse respond(ServiceRequestContext ctx, HttpRequest req, SearchService.Running<? extends Message> running) {
        ctx.whenRequestCancelling().thenRun(running.cancel());
        boolean protobuf = req.headers().get(HttpHeaderNames.ACCEPT, "").contains("application/protobuf");
        return HttpResponse.of(running.result().handle((message, error) -> {
            if (error != null) {
                return failure(error);
            }
            return protobuf
                    ? HttpResponse.of(HttpStatus.OK, PROTOBUF, message.toByteArray())
                    : HttpResponse.of(HttpStatus.OK, MediaType.JSON, toJson(message));
        }));
    }

    /** A query that fails on the data (e.g. integer division by zero) is the query's fault: 400, as in Tempo. */
    static HttpResponse failure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof TraceQLRuntimeException) {
            return text(HttpStatus.BAD_REQUEST, "invalid TraceQL query: " + cause.getMessage());
        }
        log.error("search failed", cause);
        return text(HttpStatus.INTERNAL_SERVER_ERROR, "search failed: " + cause.getMessage());
    }

    static String toJson(Message message) {
        try {
            return JSON.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }

    private static HttpResponse tenantError(TenantException e) {
        return text(e.kind() == TenantException.Kind.MISSING ? HttpStatus.UNAUTHORIZED : HttpStatus.BAD_REQUEST, e.getMessage());
    }

    private static HttpResponse text(HttpStatus status, String message) {
        return HttpResponse.of(status, MediaType.PLAIN_TEXT_UTF_8, message);
    }
}
