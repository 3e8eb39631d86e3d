package io.vivace.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.vivace.common.auth.FakeCluster;
import io.vivace.common.config.ConfigLoader;
import io.vivace.common.proto.tempopb.SearchResponse;
import io.vivace.common.proto.tempopb.SearchTagValuesV2Response;
import io.vivace.common.tls.TestCertificates;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference deployment without its two kube-rbac-proxies: TLS on every listener, TokenReview for bearer tokens,
 * a SubjectAccessReview per tenant (namespace = tenant, tempo.grafana.com/traces, get for reads, create for writes),
 * answered by the fabric8 mock API server from the request body. An OTel-SDK exporter with a bearer token writes
 * over TLS; Grafana's datasource headers read.
 */
class KubernetesAuthEndToEndTest {

    static final String COLLECTOR = "collector-token-showcase";
    static final String OTHER_COLLECTOR = "collector-token-team-b";
    static final String GRAFANA = "grafana-sa-token";

    @TempDir
    static Path dir;
    static FakeCluster cluster;
    static TestCertificates.Pem cert;
    static VivaceServer server;
    static WebClient query;

    @BeforeAll
    static void start() throws Exception {
        cluster = new FakeCluster();
        cluster.addServiceAccountToken(COLLECTOR, "showcase", "otel-collector", "vivace");
        cluster.addServiceAccountToken(OTHER_COLLECTOR, "team-b", "otel-collector", "vivace");
        cluster.addServiceAccountToken(GRAFANA, "grafana", "grafana-ds", "vivace");
        // One RoleBinding per tenant namespace for its collectors, and read access for Grafana's service account.
        cluster.grantGroupInNamespace("system:serviceaccounts:showcase", "create", "showcase");
        cluster.grantGroupInNamespace("system:serviceaccounts:team-b", "create", "team-b");
        cluster.grantUserInNamespace("system:serviceaccount:grafana:grafana-ds", "get", "showcase");
        cluster.grantUserInNamespace("system:serviceaccount:grafana:grafana-ds", "get", "team-c");
        java.nio.file.Files.writeString(dir.resolve("sa-token"), "vivace-own-token");
        cluster.requireCallerToken("vivace-own-token");

        cert = TestCertificates.selfSigned(7);
        cert.writeTo(dir.resolve("tls.crt"), dir.resolve("tls.key"));
        String tls = "{cert_file: " + dir.resolve("tls.crt") + ", key_file: " + dir.resolve("tls.key") + "}";
        String yaml = TestServers.yaml(dir, true, """
                auth:
                  authentication:
                    type: tokenreview
                    token_review: {audiences: [vivace]}
                  authorization:
                    type: subject-access-review
                  kubernetes:
                    api_server: %s
                    token_file: %s
                    retries: 0
                """.formatted(cluster.url(), dir.resolve("sa-token")))
                .replaceAll("( +)endpoint: 127.0.0.1:0\n", "$1endpoint: 127.0.0.1:0\n$1tls: " + java.util.regex.Matcher.quoteReplacement(tls) + "\n")
                .replace("  http_listen_port: 0\n", "  http_listen_port: 0\n  http_tls_config: " + tls + "\n");
        server = VivaceServer.start(new ConfigLoader().parse(yaml));
        query = WebClient.builder("https://127.0.0.1:" + server.queryPort())
                .factory(ClientFactory.builder().tlsNoVerify().build()).build();
    }

    @AfterAll
    static void stop() {
        server.close();
        cluster.close();
    }

    /** Grafana's Tempo datasource: exactly the two custom headers of the reference deployment. */
    static AggregatedHttpResponse grafana(String path, String tenant) {
        return query.execute(RequestHeaders.builder(HttpMethod.GET, path)
                .set("Authorization", "Bearer " + GRAFANA)
                .set("X-Scope-OrgID", tenant)
                .set("accept", "application/protobuf").build()).aggregate().join();
    }

    static List<SpanData> export(SpanExporter exporter, String service) {
        List<SpanData> sent = new ArrayList<>();
        SpanExporter capturing = new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                sent.addAll(spans);
                CompletableResultCode r = exporter.export(spans);
                r.join(10, TimeUnit.SECONDS);
                return r;
            }

            @Override
            public CompletableResultCode flush() {
                return exporter.flush();
            }

            @Override
            public CompletableResultCode shutdown() {
                return exporter.shutdown();
            }
        };
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.create(Attributes.builder().put("service.name", service).build()))
                .addSpanProcessor(SimpleSpanProcessor.create(capturing)).build()) {
            Tracer tracer = provider.get("e2e");
            Span span = tracer.spanBuilder("checkout").startSpan();
            span.end();
        }
        return sent;
    }

    @Test
    void collectorWithBearerTokenOverTlsWritesAndGrafanaReads() throws Exception {
        byte[] ca = cert.certPem().getBytes(StandardCharsets.UTF_8);
        SpanExporter grpc = OtlpGrpcSpanExporter.builder()
                .setEndpoint("https://127.0.0.1:" + server.otlpGrpcPort())
                .setTrustedCertificates(ca)
                .addHeader("Authorization", "Bearer " + COLLECTOR)
                .addHeader("X-Scope-OrgID", "showcase")
                .build();
        List<SpanData> sent = export(grpc, "shop");
        String traceId = sent.getFirst().getTraceId();
        AggregatedHttpResponse r = grafana("/api/v2/traces/" + traceId, "showcase");
        assertEquals(200, r.status().code(), r.contentUtf8());
        assertTrue(r.content().length() > 0);

        SpanExporter http = OtlpHttpSpanExporter.builder()
                .setEndpoint("https://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces")
                .setTrustedCertificates(ca)
                .addHeader("Authorization", "Bearer " + COLLECTOR)
                .addHeader("X-Scope-OrgID", "showcase")
                .build();
        String httpTrace = export(http, "shop").getFirst().getTraceId();
        assertEquals(200, grafana("/api/traces/" + httpTrace, "showcase").status().code());

        AggregatedHttpResponse search = grafana("/api/search?q=" + URLEncoder.encode("{ resource.service.name = \"shop\" }",
                StandardCharsets.UTF_8), "showcase");
        assertEquals(200, search.status().code(), search.contentUtf8());
        assertTrue(SearchResponse.parseFrom(search.content().array()).getTracesList().stream()
                .anyMatch(t -> t.getTraceID().equals(traceId.replaceFirst("^0+", ""))), "Grafana's search finds the collector's trace");
        AggregatedHttpResponse values = grafana("/api/v2/search/tag/resource.service.name/values", "showcase");
        assertEquals(200, values.status().code(), values.contentUtf8());
        assertTrue(SearchTagValuesV2Response.parseFrom(values.content().array()).getTagValuesList().stream()
                .anyMatch(v -> v.getValue().equals("shop")), "Grafana's tag value lookup");
    }

    @Test
    void aCollectorOfAnotherNamespaceIsDeniedAndItsExportFails() {
        SpanExporter grpc = OtlpGrpcSpanExporter.builder()
                .setEndpoint("https://127.0.0.1:" + server.otlpGrpcPort())
                .setTrustedCertificates(cert.certPem().getBytes(StandardCharsets.UTF_8))
                .addHeader("Authorization", "Bearer " + OTHER_COLLECTOR)
                .addHeader("X-Scope-OrgID", "showcase")
                .build();
        List<SpanData> sent = export(grpc, "intruder");
        assertEquals(404, grafana("/api/traces/" + sent.getFirst().getTraceId(), "showcase").status().code(), "nothing stored");
        assertTrue(cluster.requestBodies().stream().anyMatch(b -> b.contains("\"verb\":\"create\"") && b.contains("\"namespace\":\"showcase\"")
                && b.contains("system:serviceaccount:team-b:otel-collector")), "the SAR asked about showcase for the team-b collector");
    }

    @Test
    void grafanaMayReadOnlyWhatItsRoleBindingsAllow() {
        String id = "/api/traces/0123456789abcdef0123456789abcdef";
        assertEquals(404, grafana(id, "showcase").status().code(), "allowed, nothing there");
        assertEquals(404, grafana(id, "showcase|team-c").status().code(), "both tenants allowed");
        assertEquals(403, grafana(id, "showcase|team-b").status().code(), "team-b not allowed");
        assertEquals(403, grafana(id, "team-b").status().code());
        assertTrue(cluster.requestBodies().stream().anyMatch(b -> b.contains("\"verb\":\"get\"") && b.contains("\"namespace\":\"team-c\"")));
    }

    @Test
    void apiServerDownGives503AndUnavailableSoCollectorsRetry() {
        cluster.failing(true);
        try {
            AggregatedHttpResponse r = query.execute(RequestHeaders.builder(HttpMethod.GET, "/api/traces/0123456789abcdef0123456789abcdef")
                    .set("Authorization", "Bearer never-seen-before").set("X-Scope-OrgID", "showcase").build()).aggregate().join();
            assertEquals(503, r.status().code());
            assertEquals("5", r.headers().get("retry-after"));
            WebClient grpc = WebClient.builder("https://127.0.0.1:" + server.otlpGrpcPort())
                    .factory(ClientFactory.builder().tlsNoVerify().build()).build();
            byte[] message = IngestSemanticsTest.request("svc", 1, 1).toByteArray();
            java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message);
            AggregatedHttpResponse g = grpc.execute(RequestHeaders.builder(HttpMethod.POST,
                            "/opentelemetry.proto.collector.trace.v1.TraceService/Export")
                    .contentType(com.linecorp.armeria.common.MediaType.parse("application/grpc+proto")).set("te", "trailers")
                    .set("authorization", "Bearer another-new-token").set("x-scope-orgid", "showcase").build(),
                    com.linecorp.armeria.common.HttpData.wrap(frame.array())).aggregate().join();
            assertEquals(String.valueOf(io.grpc.Status.Code.UNAVAILABLE.value()), g.headers().get("grpc-status"));
        } finally {
            cluster.failing(false);
        }
        assertFalse(grafana("/api/traces/0123456789abcdef0123456789abcdef", "showcase").status().code() == 503, "recovers");
    }
}
