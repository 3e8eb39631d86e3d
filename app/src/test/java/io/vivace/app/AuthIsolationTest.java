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
import com.google.protobuf.Message;
import com.linecorp.armeria.client.grpc.GrpcClientBuilder;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.nimbusds.jwt.PlainJWT;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.vivace.common.auth.LoopbackOidcServer;
import io.vivace.common.auth.TestIssuer;
import io.vivace.common.config.ConfigLoader;
import io.vivace.common.proto.tempopb.SearchRequest;
import io.vivace.common.proto.tempopb.SearchTagValuesRequest;
import io.vivace.common.proto.tempopb.SearchTagsRequest;
import io.vivace.common.proto.tempopb.StreamingQuerierGrpc;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.LongFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenant isolation matrix on both paths (the read path: trace by ID, search, tag names and values over HTTP and over
 * the gRPC StreamingQuerier), with real HTTP and gRPC calls against the running binary: service-account
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
        return otlpHttp.execute(withAuth(h, c).build(), HttpData.wrap(traceRequest(trace).toByteArray()))
                .aggregate().join().status().code();
    }

    /** OTLP/gRPC export; returns the gRPC status code name. */
    static String grpcWrite(Call c, long trace) {
        byte[] message = traceRequest(trace).toByteArray();
        ByteBuffer frame = ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message);
        RequestHeadersBuilder h = RequestHeaders.builder(HttpMethod.POST, "/opentelemetry.proto.collector.trace.v1.TraceService/Export")
                .contentType(MediaType.parse("application/grpc+proto")).set("te", "trailers");
        AggregatedHttpResponse r = otlpGrpc.execute(withAuth(h, c).build(), HttpData.wrap(frame.array())).aggregate().join();
        String status = r.trailers().get("grpc-status") != null ? r.trailers().get("grpc-status") : r.headers().get("grpc-status");
        return io.grpc.Status.fromCodeValue(Integer.parseInt(status)).getCode().name();
    }

    /**
     * What a test trace carries for search and tags to find: a resource attribute {@code secret.t<N>} with value
     * {@code secret-t<N>}, unique to the trace, so a tag-name or tag-value list shows whether the trace leaked.
     */
    static ExportTraceServiceRequest traceRequest(long trace) {
        ExportTraceServiceRequest.Builder b = IngestSemanticsTest.request("svc", trace, 1).toBuilder();
        b.getResourceSpansBuilder(0).getResourceBuilder().addAttributes(KeyValue.newBuilder().setKey(secretKey(trace))
                .setValue(AnyValue.newBuilder().setStringValue(secretValue(trace))));
        return b.build();
    }

    static String secretKey(long trace) {
        return "secret.t" + trace;
    }

    static String secretValue(long trace) {
        return "secret-t" + trace;
    }

    /** The test spans are from November 2023: a range around them, within the default 168h. */
    static final long START = 1_699_990_000L;
    static final long END = 1_700_010_000L;
    static final String RANGE = "start=" + START + "&end=" + END;

    /** A read endpoint: the request, and what in its answer shows that the trace is visible. */
    record Read(BiFunction<Call, Long, AggregatedHttpResponse> request, LongFunction<String> evidence) {
        AggregatedHttpResponse apply(Call c, long trace) {
            return request.apply(c, trace);
        }

        boolean shows(Call c, long trace) {
            AggregatedHttpResponse r = apply(c, trace);
            return r.status().code() == 200 && r.contentUtf8().contains(evidence.apply(trace));
        }
    }

    /** The HTTP read endpoints that return tenant data; every isolation assertion below covers each of them. */
    static final Map<String, Read> READS = new LinkedHashMap<>();

    static {
        READS.put("trace by id v1", new Read((c, trace) -> get("/api/traces/" + IngestSemanticsTest.hexId(trace), c), trace -> "spanId"));
        READS.put("trace by id v2", new Read((c, trace) -> get("/api/v2/traces/" + IngestSemanticsTest.hexId(trace), c), trace -> "spanId"));
        READS.put("search", new Read((c, trace) -> get("/api/search?q=" + enc("{ resource." + secretKey(trace) + " = \"" + secretValue(trace)
                + "\" }") + "&" + RANGE, c), AuthIsolationTest::searchTraceId));
        READS.put("tags v1", new Read((c, trace) -> get("/api/search/tags?" + RANGE, c), trace -> "\"" + secretKey(trace) + "\""));
        READS.put("tags v2", new Read((c, trace) -> get("/api/v2/search/tags?scope=resource&" + RANGE, c), trace -> "\"" + secretKey(trace) + "\""));
        READS.put("tag values v1", new Read((c, trace) -> get("/api/search/tag/" + secretKey(trace) + "/values?" + RANGE, c),
                trace -> "\"" + secretValue(trace) + "\""));
        READS.put("tag values v2", new Read((c, trace) -> get("/api/v2/search/tag/resource." + secretKey(trace) + "/values?" + RANGE, c),
                trace -> "\"" + secretValue(trace) + "\""));
    }

    /** The trace ID as search answers carry it (leading zeros dropped, as Tempo does). */
    static String searchTraceId(long trace) {
        return "\"" + IngestSemanticsTest.hexId(trace).replaceFirst("^0+", "") + "\"";
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static AggregatedHttpResponse get(String path, Call c) {
        return query.execute(withAuth(RequestHeaders.builder(HttpMethod.GET, path).set("accept", "application/json"), c).build())
                .aggregate().join();
    }

    /** Whether the answer of {@code read} carries the trace. */
    static boolean hasData(Map.Entry<String, Read> read, Call c, long trace) {
        return read.getValue().shows(c, trace);
    }

    // ---- the gRPC StreamingQuerier on the query port, with authorization and x-scope-orgid metadata ----

    /** A gRPC read's outcome: its status code name, and the text form of every message received. */
    record GrpcOutcome(String code, String messages) {
    }

    /** The StreamingQuerier calls that return tenant data; each takes a stub carrying the call's metadata. */
    static final Map<String, BiFunction<StreamingQuerierGrpc.StreamingQuerierBlockingStub, Long, Iterator<? extends Message>>> GRPC_READS =
            new LinkedHashMap<>();

    static {
        GRPC_READS.put("SearchTags", (stub, trace) -> stub.searchTags(SearchTagsRequest.newBuilder().setStart((int) START).setEnd((int) END).build()));
        GRPC_READS.put("SearchTagsV2", (stub, trace) -> stub.searchTagsV2(SearchTagsRequest.newBuilder().setScope("resource")
                .setStart((int) START).setEnd((int) END).build()));
        GRPC_READS.put("SearchTagValues", (stub, trace) -> stub.searchTagValues(SearchTagValuesRequest.newBuilder().setTagName(secretKey(trace))
                .setStart((int) START).setEnd((int) END).build()));
        GRPC_READS.put("SearchTagValuesV2", (stub, trace) -> stub.searchTagValuesV2(SearchTagValuesRequest.newBuilder()
                .setTagName("resource." + secretKey(trace)).setStart((int) START).setEnd((int) END).build()));
        GRPC_READS.put("Search", (stub, trace) -> stub.search(SearchRequest.newBuilder()
                .setQuery("{ resource." + secretKey(trace) + " = \"" + secretValue(trace) + "\" }").setStart((int) START).setEnd((int) END).build()));
    }

    static GrpcOutcome grpcRead(String method, Call c, long trace) {
        // The response timeout is a bound for a hung stream (a known intermittent bug of streamed Search), not a synchronisation.
        GrpcClientBuilder b = GrpcClients.builder("http://127.0.0.1:" + server.queryPort()).responseTimeoutMillis(120_000);
        c.authorization().forEach(v -> b.addHeader("authorization", v));
        c.tenant().forEach(v -> b.addHeader("x-scope-orgid", v));
        StreamingQuerierGrpc.StreamingQuerierBlockingStub stub = b.build(StreamingQuerierGrpc.StreamingQuerierBlockingStub.class);
        StringBuilder messages = new StringBuilder();
        try {
            GRPC_READS.get(method).apply(stub, trace).forEachRemaining(m -> messages.append(m).append('\n'));
            return new GrpcOutcome("OK", messages.toString());
        } catch (StatusRuntimeException e) {
            return new GrpcOutcome(e.getStatus().getCode().name(), messages.toString());
        }
    }

    /** Whether the gRPC call succeeded and carried the trace (its ID for Search, its secret tag or value otherwise). */
    static boolean grpcShows(String method, Call c, long trace) {
        GrpcOutcome outcome = grpcRead(method, c, trace);
        assertEquals("OK", outcome.code(), method);
        String evidence = switch (method) {
            case "Search" -> searchTraceId(trace);
            case "SearchTags", "SearchTagsV2" -> "\"" + secretKey(trace) + "\"";
            default -> "\"" + secretValue(trace) + "\"";
        };
        return outcome.messages().contains(evidence);
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
            assertTrue(hasData(read, call(tokenA, "team-a|team-a"), 30L), read.getKey() + ": a|a is just a");
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
                    assertTrue(hasData(read, call(tokenA, "team-a"), trace), read.getKey() + " A sees its trace");
                    assertFalse(hasData(read, call(tokenB, "team-b"), trace), read.getKey() + " B sees nothing in its tenant");
                    assertEquals(403, read.getValue().apply(call(tokenB, "team-a"), trace).status().code(), read.getKey());
                    assertEquals(403, read.getValue().apply(call(tokenB, "team-a|team-b"), trace).status().code(), read.getKey());
                }
            }
            server.flushAndPoll();
        }
    }

    @Test
    void theStreamingQuerierRefusesTheWrongTokenTenantAndMissingCredentials() {
        for (String method : GRPC_READS.keySet()) {
            assertEquals("PERMISSION_DENIED", grpcRead(method, call(tokenB, "team-a"), 70).code(), method + ": B's token, tenant A");
            assertEquals("PERMISSION_DENIED", grpcRead(method, call(tokenB, "team-a|team-b"), 70).code(), method + ": B's token, A|B");
            assertEquals("PERMISSION_DENIED", grpcRead(method, call(tokenA, "team-a|team-b"), 70).code(), method + ": A's token, A|B");
            assertEquals("UNAUTHENTICATED", grpcRead(method, call(null, "team-a"), 70).code(), method + ": no token");
            assertEquals("UNAUTHENTICATED", grpcRead(method, call(tamper(tokenB, "team-b", "team-a"), "team-a"), 70).code(),
                    method + ": tampered token");
            assertEquals("UNAUTHENTICATED", grpcRead(method, call(tokenA), 70).code(), method + ": no tenant");
            assertEquals("INVALID_ARGUMENT", grpcRead(method, call(tokenA, "*"), 70).code(), method + ": wildcard tenant");
        }
    }

    @Test
    void aTraceWrittenByAIsNeverVisibleToBThroughTheStreamingQuerier() throws Exception {
        assertEquals(200, httpWrite(call(tokenA, "team-a"), 80));
        for (int round = 0; round < 2; round++) { // live data, then backend blocks
            for (String method : GRPC_READS.keySet()) {
                assertTrue(grpcShows(method, call(tokenA, "team-a"), 80), method + ": A sees its trace");
                assertFalse(grpcShows(method, call(tokenB, "team-b"), 80), method + ": B sees nothing in its tenant");
                assertEquals("PERMISSION_DENIED", grpcRead(method, call(tokenB, "team-a"), 80).code(), method);
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
