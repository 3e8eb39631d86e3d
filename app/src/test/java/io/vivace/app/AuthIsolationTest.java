package io.vivace.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.nimbusds.jwt.PlainJWT;
import io.vivace.common.auth.LoopbackOidcServer;
import io.vivace.common.auth.TestIssuer;
import io.vivace.common.config.ConfigLoader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenant isolation matrix on both paths, with real HTTP and gRPC calls against the running binary: service-account
 * JWTs validated offline against a JWKS served on loopback (OIDC discovery), authorization "tenant must equal the
 * token's namespace". Every case is one assertion.
 */
class AuthIsolationTest {

    @TempDir
    static Path dir;
    static LoopbackOidcServer oidc;
    static TestIssuer issuer;
    static VivaceServer server;
    static WebClient otlpHttp;
    static WebClient otlpGrpc;
    static WebClient query;
    static String tokenA;
    static String tokenB;

    @BeforeAll
    static void start() throws Exception {
        TestIssuer[] holder = new TestIssuer[1];
        oidc = new LoopbackOidcServer(() -> holder[0].jwks());
        issuer = holder[0] = new TestIssuer(oidc.issuer());
        String auth = """
                auth:
                  authentication:
                    type: jwt
                    jwt:
                      issuer: %s
                      audiences: [vivace]
                  authorization:
                    type: namespace
                """.formatted(oidc.issuer());
        server = VivaceServer.start(new ConfigLoader().parse(TestServers.yaml(dir, true, auth)));
        otlpHttp = WebClient.of("http://127.0.0.1:" + server.otlpHttpPort());
        otlpGrpc = WebClient.of("h2c://127.0.0.1:" + server.otlpGrpcPort());
        query = WebClient.of("http://127.0.0.1:" + server.queryPort());
        tokenA = issuer.serviceAccountToken("team-a", "otel-collector", "vivace", Instant.now().minusSeconds(5));
        tokenB = issuer.serviceAccountToken("team-b", "otel-collector", "vivace", Instant.now().minusSeconds(5));
    }

    @AfterAll
    static void stop() {
        server.close();
        oidc.close();
    }

    // ---- the two write paths and the read path, each taking (Authorization values, X-Scope-OrgID values) ----

    record Call(List<String> authorization, List<String> tenant) {
    }

    static Call call(String token, String... tenants) {
        return new Call(token == null ? List.of() : List.of("Bearer " + token), List.of(tenants));
    }

    static RequestHeadersBuilder withAuth(RequestHeadersBuilder h, Call c) {
        c.authorization().forEach(v -> h.add("authorization", v));
        c.tenant().forEach(v -> h.add("x-scope-orgid", v));
        return h;
    }

    /** OTLP/HTTP export; returns the HTTP status. */
    static int httpWrite(Call c, long trace) {
        RequestHeadersBuilder h = RequestHeaders.builder(HttpMethod.POST, "/v1/traces").contentType(MediaType.parse("application/x-protobuf"));
        return otlpHttp.execute(withAuth(h, c).build(), HttpData.wrap(IngestSemanticsTest.request("svc", trace, 1).toByteArray()))
                .aggregate().join().status().code();
    }

    /** OTLP/gRPC export; returns the gRPC status code name. */
    static String grpcWrite(Call c, long trace) {
        byte[] message = IngestSemanticsTest.request("svc", trace, 1).toByteArray();
        ByteBuffer frame = ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message);
        RequestHeadersBuilder h = RequestHeaders.builder(HttpMethod.POST, "/opentelemetry.proto.collector.trace.v1.TraceService/Export")
                .contentType(MediaType.parse("application/grpc+proto")).set("te", "trailers");
        AggregatedHttpResponse r = otlpGrpc.execute(withAuth(h, c).build(), HttpData.wrap(frame.array())).aggregate().join();
        String status = r.trailers().get("grpc-status") != null ? r.trailers().get("grpc-status") : r.headers().get("grpc-status");
        return io.grpc.Status.fromCodeValue(Integer.parseInt(status)).getCode().name();
    }

    /**
     * The read endpoints that return tenant data. Search and tag endpoints do not exist yet: when they do, add them
     * here and every isolation assertion below covers them too.
     */
    static final Map<String, BiFunction<Call, Long, AggregatedHttpResponse>> READS = new LinkedHashMap<>();

    static {
        READS.put("trace by id v1", (c, trace) -> get("/api/traces/" + IngestSemanticsTest.hexId(trace), c));
        READS.put("trace by id v2", (c, trace) -> get("/api/v2/traces/" + IngestSemanticsTest.hexId(trace), c));
    }

    static AggregatedHttpResponse get(String path, Call c) {
        return query.execute(withAuth(RequestHeaders.builder(HttpMethod.GET, path).set("accept", "application/json"), c).build())
                .aggregate().join();
    }

    /** Whether the response carries any span of the trace. */
    static boolean hasData(AggregatedHttpResponse r) {
        return r.status().code() == 200 && r.contentUtf8().contains("spanId");
    }

    // ---- the matrix ----

    @Test
    void writesWithTheRightTokenAndTenantAreAccepted() {
        assertEquals(200, httpWrite(call(tokenA, "team-a"), 1));
        assertEquals("OK", grpcWrite(call(tokenA, "team-a"), 2));
        assertEquals(200, httpWrite(call(tokenB, "team-b"), 3));
    }

    @Test
    void tenantBsTokenCannotWriteOrReadTenantA() {
        assertEquals(403, httpWrite(call(tokenB, "team-a"), 10));
        assertEquals("PERMISSION_DENIED", grpcWrite(call(tokenB, "team-a"), 10));
        for (var read : READS.entrySet()) {
            assertEquals(403, read.getValue().apply(call(tokenB, "team-a"), 10L).status().code(), read.getKey());
        }
    }

    @Test
    void missingDuplicatedEmptyOrWildcardTenantHeaderIsRefused() {
        assertEquals(401, httpWrite(call(tokenA), 20), "missing");
        assertEquals("UNAUTHENTICATED", grpcWrite(call(tokenA), 20), "missing");
        assertEquals(400, httpWrite(call(tokenA, "team-a", "team-a"), 20), "duplicated");
        assertEquals("INVALID_ARGUMENT", grpcWrite(call(tokenA, "team-a", "team-a"), 20), "duplicated");
        assertEquals(400, httpWrite(call(tokenA, ""), 20), "empty");
        assertEquals("INVALID_ARGUMENT", grpcWrite(call(tokenA, ""), 20), "empty");
        assertEquals(400, httpWrite(call(tokenA, "*"), 20), "wildcard");
        assertEquals("INVALID_ARGUMENT", grpcWrite(call(tokenA, "*"), 20), "wildcard");
        for (var read : READS.entrySet()) {
            assertEquals(401, read.getValue().apply(call(tokenA), 20L).status().code(), read.getKey() + " missing");
            assertEquals(400, read.getValue().apply(call(tokenA, "team-a", "team-a"), 20L).status().code(), read.getKey() + " duplicated");
            assertEquals(400, read.getValue().apply(call(tokenA, ""), 20L).status().code(), read.getKey() + " empty");
            assertEquals(400, read.getValue().apply(call(tokenA, "*"), 20L).status().code(), read.getKey() + " wildcard");
        }
    }

    @Test
    void federatedTenantsAreRefusedUnlessEveryTenantIsAllowed() {
        assertEquals(400, httpWrite(call(tokenA, "team-a|team-b"), 30), "writes go to one tenant");
        assertEquals("INVALID_ARGUMENT", grpcWrite(call(tokenA, "team-a|team-b"), 30));
        assertEquals(200, httpWrite(call(tokenA, "team-a"), 30));
        for (var read : READS.entrySet()) {
            assertEquals(403, read.getValue().apply(call(tokenA, "team-a|team-b"), 30L).status().code(), read.getKey());
            assertEquals(403, read.getValue().apply(call(tokenA, "team-b|team-a"), 30L).status().code(), read.getKey());
            assertTrue(hasData(read.getValue().apply(call(tokenA, "team-a|team-a"), 30L)), read.getKey() + ": a|a is just a");
        }
    }

    @Test
    void badTokensAreRefusedOnEveryPath() {
        Instant now = Instant.now();
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("expired", issuer.sign(issuer.claims("team-a", "c", "vivace", now.minusSeconds(7200), Duration.ofHours(1)).build()));
        bad.put("wrong audience", issuer.sign(issuer.claims("team-a", "c", "https://kubernetes.default.svc", now, Duration.ofHours(1)).build()));
        bad.put("wrong issuer", issuer.sign(issuer.claims("team-a", "c", "vivace", now, Duration.ofHours(1)).issuer("https://evil.example").build()));
        bad.put("alg none", new PlainJWT(issuer.claims("team-a", "c", "vivace", now, Duration.ofHours(1)).build()).serialize());
        bad.put("tampered", tamper(tokenB, "team-b", "team-a"));
        bad.put("not a jwt", "hello");
        for (var b : bad.entrySet()) {
            assertEquals(401, httpWrite(call(b.getValue(), "team-a"), 40), b.getKey());
            assertEquals("UNAUTHENTICATED", grpcWrite(call(b.getValue(), "team-a"), 40), b.getKey());
            for (var read : READS.entrySet()) {
                assertEquals(401, read.getValue().apply(call(b.getValue(), "team-a"), 40L).status().code(), b.getKey() + " " + read.getKey());
            }
        }
        assertEquals(401, httpWrite(call(null, "team-a"), 40), "no token");
        assertEquals("UNAUTHENTICATED", grpcWrite(call(null, "team-a"), 40), "no token");
    }

    @Test
    void aTraceWrittenByAIsNeverVisibleToB() throws Exception {
        assertEquals(200, httpWrite(call(tokenA, "team-a"), 50));
        assertEquals("OK", grpcWrite(call(tokenA, "team-a"), 51));
        for (int round = 0; round < 2; round++) { // live data, then backend blocks
            for (long trace : new long[] {50, 51}) {
                for (var read : READS.entrySet()) {
                    assertTrue(hasData(read.getValue().apply(call(tokenA, "team-a"), trace)), read.getKey() + " A sees its trace");
                    assertFalse(hasData(read.getValue().apply(call(tokenB, "team-b"), trace)), read.getKey() + " B sees nothing in its tenant");
                    assertEquals(403, read.getValue().apply(call(tokenB, "team-a"), trace).status().code(), read.getKey());
                    assertEquals(403, read.getValue().apply(call(tokenB, "team-a|team-b"), trace).status().code(), read.getKey());
                }
            }
            server.flushAndPoll();
        }
    }

    @Test
    void readyAndMetricsNeedNoToken() {
        assertEquals(200, query.get("/ready").aggregate().join().status().code());
        AggregatedHttpResponse metrics = query.get("/metrics").aggregate().join();
        assertEquals(200, metrics.status().code());
        httpWrite(call(tokenB, "team-a"), 60);
        assertTrue(query.get("/metrics").aggregate().join().contentUtf8().contains("vivace_auth_requests_total{action=\"write\",result=\"forbidden\"}"));
        AggregatedHttpResponse refused = get("/api/traces/" + IngestSemanticsTest.hexId(60), call(null, "team-a"));
        assertEquals("Bearer", refused.headers().get("www-authenticate"));
    }

    static String tamper(String token, String from, String to) {
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace(from, to);
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }
}
