package io.vivace.app;

import static io.vivace.app.S3Bucket.assertEveryTraceById;
import static io.vivace.app.S3Bucket.assertEveryTraceSearchable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.linecorp.armeria.client.WebClient;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.vivace.common.storage.CachingBackend;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The single binary with its blocks in an S3 bucket (s3proxy in-process): traces sent by the OpenTelemetry SDK stay
 * readable by ID and searchable, each span once, across several flushes and compactions; retention empties the bucket.
 */
class S3EndToEndTest extends S3BucketTest {

    /** All spans end inside one compaction window (1 h), an hour before now. */
    static final Instant BASE = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS).plus(10, ChronoUnit.MINUTES);
    static final long SEARCH_START = BASE.getEpochSecond() - 600;
    static final long SEARCH_END = BASE.getEpochSecond() + 1800;

    @Test
    void everyTraceStaysReadableAndSearchableAcrossFlushesAndCompactions() throws Exception {
        try (VivaceServer server = VivaceServer.start(bucket.serverConfig(dir, """
                compactor:
                  compaction:
                    max_input_blocks: 2
                """))) {
            WebClient query = WebClient.of("http://127.0.0.1:" + server.queryPort());
            try (SdkTraffic sdk = new SdkTraffic(server.otlpGrpcPort(), "checkout", BASE)) {
                // Block 1: three traces, and the first half of a trace that goes on in the next block.
                for (int t = 0; t < 3; t++) {
                    sdk.trace(t, 3);
                }
                SpanContext split = sdk.trace(10, 1);
                S3Bucket.flush(server);
                assertEquals(1, bucket.count("/meta.json"));
                checkAll(query, sdk.acknowledged());

                // Block 2: more traces, the rest of the split trace, and trace 0 sent again (a client retry).
                for (int t = 3; t < 6; t++) {
                    sdk.trace(t, 2);
                }
                sdk.childOf(split, "late span", 70);
                sdk.resend(split.getTraceId());
                S3Bucket.flush(server);
                assertEquals(2, bucket.count("/meta.json"));
                checkAll(query, sdk.acknowledged());

                // Block 3, then the first compaction merges the two oldest level-0 blocks.
                for (int t = 6; t < 9; t++) {
                    sdk.trace(t, 1);
                }
                S3Bucket.flush(server);
                assertEquals(3, bucket.count("/meta.json"));
                checkAll(query, sdk.acknowledged());

                server.compactAndPoll();
                assertEquals(2, bucket.count("/meta.json"), "two inputs replaced by one block");
                assertEquals(2, bucket.count("/meta.compacted.json"));
                assertEquals(1, bucket.count("index.json.gz"));
                checkAll(query, sdk.acknowledged());

                // Block 4 (level 0) joins the remaining level-0 block; then the two level-1 blocks are merged.
                sdk.childOf(split, "very late span", 90);
                sdk.trace(11, 4);
                S3Bucket.flush(server);
                checkAll(query, sdk.acknowledged());
                server.compactAndPoll();
                checkAll(query, sdk.acknowledged());
                server.compactAndPoll();
                assertEquals(1, bucket.count("/meta.json"), "everything in one block");
                assertEquals(List.of(), bucket.keys(".head"));
                checkAll(query, sdk.acknowledged());
                checkAll(query, sdk.acknowledged());
                String metrics = query.get("/metrics").aggregate().join().contentUtf8();
                for (String cache : List.of(CachingBackend.BLOOM, CachingBackend.PARQUET_FOOTER, CachingBackend.PARQUET_PAGE)) {
                    assertTrue(hits(metrics, cache) > 0, cache + " hits in /metrics");
                }
            }
        }
    }

    @Test
    void blockPastRetentionDisappearsFromSearchAndTheBucket() throws Exception {
        Instant old = Instant.now().minus(15, ChronoUnit.DAYS);
        try (VivaceServer server = VivaceServer.start(bucket.serverConfig(dir, """
                compactor:
                  compaction:
                    block_retention: 336h
                    compacted_block_retention: 0s
                query_frontend:
                  search:
                    max_duration: 1000h
                """))) {
            WebClient query = WebClient.of("http://127.0.0.1:" + server.queryPort());
            Map<String, List<ResourceSpans>> sent;
            try (SdkTraffic sdk = new SdkTraffic(server.otlpGrpcPort(), "archive", old)) {
                sdk.trace(1, 2);
                sent = sdk.acknowledged();
            }
            S3Bucket.flush(server);
            long start = old.getEpochSecond() - 600;
            long end = old.getEpochSecond() + 600;
            assertEveryTraceById(query, sent);
            assertEveryTraceSearchable(query, sent, start, end);
            assertEquals(1, bucket.count("/data.parquet"));

            server.compactAndPoll(); // past retention: marked compacted
            server.compactAndPoll(); // grace period (0 s) over: deleted

            assertEquals(List.of(), bucket.keys("/data.parquet"), "block deleted from the bucket");
            assertEquals(List.of(), bucket.keys("/meta.compacted.json"));
            assertEveryTraceSearchable(query, Map.of(), start, end);
            String id = sent.keySet().iterator().next();
            assertEquals(404, query.get("/api/traces/" + id).aggregate().join().status().code());
        }
    }

    private static double hits(String metrics, String cache) {
        Matcher m = Pattern.compile("(?m)^cache_gets_total\\{cache=\"" + cache + "\",result=\"hit\"\\} (\\S+)$").matcher(metrics);
        assertTrue(m.find(), "no hit counter of " + cache);
        return Double.parseDouble(m.group(1));
    }

    static void checkAll(WebClient query, Map<String, List<ResourceSpans>> acknowledged) throws Exception {
        assertEveryTraceById(query, acknowledged);
        assertEveryTraceSearchable(query, acknowledged, SEARCH_START, SEARCH_END);
    }
}
