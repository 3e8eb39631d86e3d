package io.vivace.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.limits.TenantLimits;
import io.vivace.common.query.TraceByIdSource;
import io.vivace.common.tenant.TenantResolver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Trace by ID holds each tenant to its own {@code max_bytes_per_trace} (v1: 422, v2: a PARTIAL trace). */
class QueryApiTraceSizeTest {

    static final String TRACE_ID = "0102030405060708090a0b0c0d0e0f10";
    static Server server;
    static WebClient client;

    @BeforeAll
    static void start() {
        TraceByIdSource recent = (tenant, id, start, end) -> CompletableFuture.completedFuture(List.of(fiftySpans()));
        TraceByIdSource blocks = (tenant, id, start, end) -> CompletableFuture.completedFuture(List.of());
        ServerBuilder sb = Server.builder().http(0);
        new QueryApi(new TenantResolver(true), recent, blocks,
                tenant -> limitsWithMaxBytesPerTrace(tenant.equals("small") ? 1000 : 0), BuildInfo.of("test"), () -> true)
                .registerRoutes(sb);
        server = sb.build();
        server.start().join();
        client = WebClient.of("http://127.0.0.1:" + server.activeLocalPort());
    }

    @AfterAll
    static void stop() {
        server.stop().join();
    }

    @Test
    void aTraceOverTheTenantsMaxIsRefusedByV1AndPartialInV2() {
        AggregatedHttpResponse v1 = get("/api/traces/" + TRACE_ID, "small");
        assertEquals(422, v1.status().code(), v1.contentUtf8());
        assertTrue(v1.contentUtf8().contains("max bytes: 1000"), v1.contentUtf8());

        String v2 = get("/api/v2/traces/" + TRACE_ID, "small").contentUtf8();
        assertTrue(v2.contains("\"status\":\"PARTIAL\""), v2);
        assertTrue(v2.contains("maximum size of 1000 bytes"), v2);
    }

    @Test
    void aTenantWithoutALimitGetsTheWholeTrace() {
        assertEquals(200, get("/api/traces/" + TRACE_ID, "unlimited").status().code());
        assertTrue(!get("/api/v2/traces/" + TRACE_ID, "unlimited").contentUtf8().contains("PARTIAL"));
    }

    @Test
    void aMultiTenantReadGetsTheSmallestLimit() {
        assertEquals(422, get("/api/traces/" + TRACE_ID, "unlimited|small").status().code());
    }

    static AggregatedHttpResponse get(String path, String tenant) {
        return client.execute(RequestHeaders.builder(HttpMethod.GET, path).set("x-scope-orgid", tenant).build()).aggregate().join();
    }

    static TenantLimits limitsWithMaxBytesPerTrace(long max) {
        TenantLimits d = TenantLimits.defaults();
        return new TenantLimits(d.rateLimitBytes(), d.burstSizeBytes(), d.maxTracesPerUser(), d.maxAttributeBytes(), max,
                Duration.ZERO, 0, d.maxBytesPerTagValuesQuery(), Duration.ZERO);
    }

    static TracesData fiftySpans() {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (int i = 1; i <= 50; i++) {
            scope.addSpans(Span.newBuilder()
                    .setTraceId(ByteString.fromHex(TRACE_ID)).setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) i}))
                    .setName("operation number " + i).setStartTimeUnixNano(1_000 + i).setEndTimeUnixNano(2_000 + i));
        }
        return TracesData.newBuilder().addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope)).build();
    }
}
