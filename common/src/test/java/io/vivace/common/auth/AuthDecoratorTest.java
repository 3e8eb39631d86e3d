package io.vivace.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.Server;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vivace.common.tenant.TenantResolver;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The decorator in front of a real Armeria service: what the handler sees, and how refusals look on the wire. */
class AuthDecoratorTest {

    Server server;
    WebClient client;
    final AtomicReference<RequestHeaders> seen = new AtomicReference<>();

    @BeforeEach
    void start() {
        AuthGate gate = new AuthGate(AuthGateTest.SERVICE_ACCOUNTS, new NamespaceAuthorizer(), new TenantResolver(true),
                new SimpleMeterRegistry());
        server = Server.builder().http(0)
                .service("/api/traces/x", (ctx, req) -> {
                    seen.set(ctx.request().headers());
                    return HttpResponse.of("ok");
                })
                .service("/ready", (ctx, req) -> HttpResponse.of("ready"))
                .decorator(new AuthDecorator(gate, Action.READ, List.of("/ready", "/internal/*")))
                .build();
        server.start().join();
        client = WebClient.of("http://127.0.0.1:" + server.activeLocalPort());
    }

    @AfterEach
    void stop() {
        server.stop().join();
    }

    AggregatedHttpResponse get(String path, String... headers) {
        var h = RequestHeaders.builder(HttpMethod.GET, path);
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        return client.execute(h.build()).aggregate().join();
    }

    @Test
    void handlerSeesNoTokenAndTheValidatedTenants() {
        AggregatedHttpResponse r = get("/api/traces/x", "authorization", "Bearer a", "x-scope-orgid", "a|a");
        assertEquals(200, r.status().code());
        assertNull(seen.get().get("authorization"), "token removed before the handler");
        assertEquals(List.of("a"), seen.get().getAll("x-scope-orgid"), "normalised to what was authorized");
    }

    @Test
    void httpRefusalsArePlainTextWithTheRightHeaders() {
        AggregatedHttpResponse noToken = get("/api/traces/x", "x-scope-orgid", "a");
        assertEquals(401, noToken.status().code());
        assertEquals("Bearer", noToken.headers().get("www-authenticate"));
        assertEquals("missing bearer token", noToken.contentUtf8());
        assertEquals(403, get("/api/traces/x", "authorization", "Bearer b", "x-scope-orgid", "a").status().code());
        AggregatedHttpResponse down = get("/api/traces/x", "authorization", "Bearer down", "x-scope-orgid", "a");
        assertEquals(503, down.status().code());
        assertEquals("5", down.headers().get("retry-after"));
        assertNull(seen.get(), "the handler never ran");
    }

    @Test
    void grpcRefusalsAreTrailersOnlyStatuses() {
        AggregatedHttpResponse r = client.execute(RequestHeaders.builder(HttpMethod.POST, "/api/traces/x")
                .contentType(MediaType.parse("application/grpc+proto")).add("authorization", "Bearer b").add("x-scope-orgid", "a")
                .build()).aggregate().join();
        assertEquals(200, r.status().code());
        assertEquals("7", r.headers().get("grpc-status"), "PERMISSION_DENIED");
        assertEquals("forbidden for tenant a", r.headers().get("grpc-message"));
        assertEquals("a%0Ab%25", AuthDecorator.percentEncode("a\nb%"));
    }

    @Test
    void publicPathsPassWithoutCredentials() {
        assertEquals(200, get("/ready").status().code());
        AuthDecorator d = new AuthDecorator(null, Action.READ, List.of("/ready", "/internal/*"));
        assertEquals(true, d.isPublic("/internal/x/y"));
        assertEquals(false, d.isPublic("/ready/more"));
    }
}
