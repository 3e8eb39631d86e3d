package io.vivace.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.proto.tempopb.SearchResponse;
import io.vivace.common.proto.tempopb.TraceSearchMetadata;
import io.vivace.common.storage.S3Backend;
import io.vivace.common.storage.S3ProxyServer;
import io.vivace.common.config.ConfigLoader;
import io.vivace.common.config.VivaceConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a test sees of a server that keeps its blocks in an s3proxy bucket: the bucket's keys, and the query API. */
final class S3Bucket implements AutoCloseable {

    final String name;
    private final S3ProxyServer s3;
    private final S3Backend view;

    S3Bucket(S3ProxyServer s3) {
        this.s3 = s3;
        name = s3.createBucket();
        view = S3Backend.open(s3.config(name, "", 5L << 20));
    }

    /**
     * A single-binary config with its blocks in this bucket. The ingester stops serving a flushed block at its next
     * sweep ({@code complete_block_timeout: 0s}), so reads after {@link #flush} come from the bucket.
     */
    VivaceConfig serverConfig(Path dir, String extra) {
        String yaml = TestServers.s3Yaml(dir, s3.yaml(name, 2), extra)
                .replace("flush_check_period: 1h", "flush_check_period: 1h\n  complete_block_timeout: 0s");
        return new ConfigLoader().parse(yaml);
    }

    /** Cuts and flushes every trace into a block, then sweeps again so the ingester lets go of the flushed block. */
    static void flush(VivaceServer server) throws IOException {
        server.flushAndPoll();
        server.flushAndPoll();
    }

    /** The bucket's keys ending with {@code suffix}, by a real ListObjectsV2 (through the S3 API). */
    List<String> keys(String suffix) throws IOException {
        return view.list("").stream().filter(k -> k.endsWith(suffix)).toList();
    }

    int count(String suffix) throws IOException {
        return keys(suffix).size();
    }

    /** Every acknowledged trace read back by ID: each span exactly once, as it was sent. */
    static void assertEveryTraceById(WebClient query, Map<String, List<ResourceSpans>> acknowledged) throws Exception {
        for (Map.Entry<String, List<ResourceSpans>> trace : acknowledged.entrySet()) {
            AggregatedHttpResponse r = query.prepare().get("/api/traces/" + trace.getKey()).header("accept", "application/protobuf")
                    .execute().aggregate().join();
            assertEquals(200, r.status().code(), trace.getKey() + ": " + r.contentUtf8());
            TraceAssertions.assertSameSpans(trace.getValue(), TracesData.parseFrom(r.content().array()));
        }
    }

    /**
     * Search finds exactly the acknowledged traces (none missing, none extra) and counts each trace's spans once:
     * the service's span count and the {@code {}} spanset's matches equal the spans sent.
     */
    static void assertEveryTraceSearchable(WebClient query, Map<String, List<ResourceSpans>> acknowledged, long startSeconds,
                                           long endSeconds) throws Exception {
        AggregatedHttpResponse r = query.get("/api/search?q=%7B%7D&limit=1000&spss=100&start=" + startSeconds + "&end=" + endSeconds)
                .aggregate().join();
        assertEquals(200, r.status().code(), r.contentUtf8());
        SearchResponse.Builder response = SearchResponse.newBuilder();
        JsonFormat.parser().ignoringUnknownFields().merge(r.contentUtf8(), response);
        Map<String, TraceSearchMetadata> found = new HashMap<>();
        for (TraceSearchMetadata t : response.getTracesList()) {
            assertEquals(null, found.put(stripZeros(t.getTraceID()), t), "trace listed twice: " + t.getTraceID());
        }
        Set<String> want = new HashSet<>();
        acknowledged.keySet().forEach(id -> want.add(stripZeros(id)));
        assertEquals(want, found.keySet(), "traces found by search");
        for (Map.Entry<String, List<ResourceSpans>> trace : acknowledged.entrySet()) {
            int spans = TraceAssertions.spansById(trace.getValue()).size();
            TraceSearchMetadata meta = found.get(stripZeros(trace.getKey()));
            int counted = meta.getServiceStatsMap().values().stream().mapToInt(s -> s.getSpanCount()).sum();
            assertEquals(spans, counted, "spans of " + trace.getKey() + " in serviceStats");
            assertTrue(meta.getSpanSetsCount() > 0, meta.toString());
            assertEquals(spans, meta.getSpanSets(0).getMatched(), "spans of " + trace.getKey() + " matching {}");
            Set<String> spanIds = new HashSet<>();
            meta.getSpanSets(0).getSpansList().forEach(s -> assertTrue(spanIds.add(s.getSpanID()), "span twice: " + s.getSpanID()));
        }
    }

    private static String stripZeros(String hex) {
        String s = hex.replaceFirst("^0+", "");
        return s.isEmpty() ? "0" : s;
    }

    @Override
    public void close() {
        view.close();
    }
}
