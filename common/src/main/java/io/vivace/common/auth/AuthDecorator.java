package io.vivace.common.auth;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.util.SafeCloseable;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.netty.util.AttributeKey;
import io.vivace.common.tenant.TenantId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Armeria decorator that runs the {@link AuthGate} before a service: HTTP services and gRPC services alike (the
 * OTLP receivers, the query API). Refusals are answered here, as plain text for HTTP and as a trailers-only gRPC
 * status for gRPC calls. On success the {@code Authorization} header is removed (the handler never sees the token)
 * and {@code X-Scope-OrgID} is replaced by the validated tenants, so the handler uses exactly what was authorized.
 * Paths in {@code publicPaths} ({@code /ready}, {@code /metrics}; a trailing {@code *} matches a prefix) pass unchecked.
 */
public final class AuthDecorator implements DecoratingHttpServiceFunction {

    /** The authenticated caller, for handlers and access logs. */
    public static final AttributeKey<Principal> PRINCIPAL = AttributeKey.valueOf(AuthDecorator.class, "PRINCIPAL");

    private final AuthGate gate;
    private final Action action;
    private final List<String> publicPaths;

    public AuthDecorator(AuthGate gate, Action action, List<String> publicPaths) {
        this.gate = gate;
        this.action = action;
        this.publicPaths = List.copyOf(publicPaths);
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        if (isPublic(ctx.path())) {
            return delegate.serve(ctx, req);
        }
        RequestHeaders headers = req.headers();
        boolean grpc = isGrpc(headers);
        CompletableFuture<HttpResponse> response = gate.check(action, headers.getAll(HttpHeaderNames.AUTHORIZATION),
                        headers.getAll(TenantId.HEADER))
                .thenApplyAsync(outcome -> switch (outcome) {
                    case AuthGate.Outcome.Refused r -> refusal(r.failure(), grpc);
                    case AuthGate.Outcome.Granted g -> {
                        RequestHeadersBuilder h = headers.toBuilder().removeAndThen(HttpHeaderNames.AUTHORIZATION);
                        if (gate.tenantResolver().multitenancyEnabled()) {
                            h.set(TenantId.HEADER, String.join("|", g.tenants()));
                        }
                        HttpRequest authorized = req.withHeaders(h.build());
                        ctx.updateRequest(authorized);
                        ctx.setAttr(PRINCIPAL, g.principal());
                        try (SafeCloseable ignored = ctx.push()) {
                            yield delegate.serve(ctx, authorized);
                        } catch (Exception e) {
                            yield HttpResponse.ofFailure(e);
                        }
                    }
                }, ctx.eventLoop());
        return HttpResponse.of(response);
    }

    boolean isPublic(String path) {
        for (String p : publicPaths) {
            if (p.endsWith("*") ? path.startsWith(p.substring(0, p.length() - 1)) : path.equals(p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isGrpc(RequestHeaders headers) {
        MediaType type = headers.contentType();
        return type != null && type.subtype().startsWith("grpc") && type.type().equals("application");
    }

    static HttpResponse refusal(AuthFailure failure, boolean grpc) {
        if (grpc) {
            ResponseHeaders h = ResponseHeaders.builder(HttpStatus.OK)
                    .contentType(MediaType.parse("application/grpc+proto"))
                    .add("grpc-status", Integer.toString(failure.kind().grpcCode().value()))
                    .add("grpc-message", percentEncode(failure.message()))
                    .build();
            return HttpResponse.of(h);
        }
        com.linecorp.armeria.common.ResponseHeadersBuilder h = ResponseHeaders.builder(HttpStatus.valueOf(failure.kind().httpStatus()))
                .contentType(MediaType.PLAIN_TEXT_UTF_8);
        switch (failure.kind()) {
            case UNAUTHENTICATED -> h.set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
            case UNAVAILABLE -> h.set(HttpHeaderNames.RETRY_AFTER, "5");
            default -> {
            }
        }
        return HttpResponse.of(h.build(), com.linecorp.armeria.common.HttpData.ofUtf8(failure.message()));
    }

    /** gRPC's {@code grpc-message} encoding: printable ASCII except '%' as is, every other byte as %XX. */
    public static String percentEncode(String message) {
        StringBuilder out = new StringBuilder();
        for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
            if (b >= 0x20 && b < 0x7f && b != '%') {
                out.append((char) b);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
