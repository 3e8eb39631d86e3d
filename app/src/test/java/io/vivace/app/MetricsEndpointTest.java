package io.vivace.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics} counts what the server received, refused and flushed, in the Prometheus text format. */
class MetricsEndpointTest {

    @TempDir
    Path dir;

    @Test
    void countsReceivedRefusedAndFlushed() throws Exception {
        try (VivaceServer server = VivaceServer.start(TestServers.config(dir, false))) {
            WebClient otlp = WebClient.of("http://127.0.0.1:" + server.otlpHttpPort());
            WebClient query = WebClient.of("http://127.0.0.1:" + server.queryPort());
            assertEquals(200, IngestSemanticsTest.send(otlp, IngestSemanticsTest.request("svc", 1, 1, 2, 3), null).status().code());
            AggregatedHttpResponse bad = otlp.execute(RequestHeaders.builder(HttpMethod.POST, "/v1/traces")
                    .contentType(MediaType.parse("application/x-protobuf")).build(), HttpData.ofUtf8("not protobuf")).aggregate().join();
            assertEquals(400, bad.status().code());
            assertEquals(1.0, value(scrape(query), "vivace_ingester_live_traces", ""));
            server.flushAndPoll();

            String metrics = scrape(query);
            assertEquals(3.0, value(metrics, "vivace_distributor_spans_received_total", "tenant=\"single-tenant\""));
            assertTrue(value(metrics, "vivace_distributor_bytes_received_total", "tenant=\"single-tenant\"") > 0);
            assertEquals(1.0, value(metrics, "vivace_distributor_requests_refused_total", "reason=\"invalid_request\""));
            assertEquals(0.0, value(metrics, "vivace_ingester_live_traces", ""));
            assertEquals(1.0, value(metrics, "vivace_ingester_blocks_flushed_total", ""));
            assertTrue(value(metrics, "jvm_memory_used_bytes", "area=\"heap\"") > 0);
        }
    }

    private static String scrape(WebClient query) {
        AggregatedHttpResponse r = query.get("/metrics").aggregate().join();
        assertEquals(200, r.status().code());
        return r.contentUtf8();
    }

    /** The value of the first sample of {@code name} whose labels contain {@code label}. */
    private static double value(String metrics, String name, String label) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? (\\S+)$").matcher(metrics);
        while (m.find()) {
            if (m.group(1) == null ? label.isEmpty() : m.group(1).contains(label)) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("no sample of " + name + " with " + label + " in:\n" + metrics);
    }
}
