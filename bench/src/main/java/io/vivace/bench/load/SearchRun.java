package io.vivace.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends each TraceQL query {@code --search-repeats} times to {@code GET /api/search} (Grafana's request: {@code q},
 * {@code limit}, {@code start} and {@code end} in seconds around the sent traces), up to {@code --concurrency} at
 * once, then checks the first answer of each query with {@link SearchExpectation}.
 */
final class SearchRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DETAIL = 200;
    /** Seconds of slack around the generated traces' time range. */
    private static final long RANGE_SLACK_SECONDS = 60;

    private final LoadOptions options;
    private final WebClient client;
    private final String pathPrefix;
    private final SearchExpectation expectation;
    private final PrintStream out;

    SearchRun(LoadOptions options, SearchExpectation expectation, WebClient client, String pathPrefix, PrintStream out) {
        this.options = options;
        this.client = client;
        this.pathPrefix = pathPrefix.endsWith("/") ? pathPrefix.substring(0, pathPrefix.length() - 1) : pathPrefix;
        this.expectation = expectation;
        this.out = out;
    }

    SearchReport run(List<String> queries) throws InterruptedException {
        List<SearchReport.QueryResult> results = new ArrayList<>();
        for (String query : queries) {
            out.println("searching " + query);
            results.add(runQuery(query));
        }
        return new SearchReport(options.limit(), options.searchRepeats(), results);
    }

    private SearchReport.QueryResult runQuery(String query) throws InterruptedException {
        LatencyHistogram latency = new LatencyHistogram();
        Semaphore permits = new Semaphore(options.concurrency());
        Map<String, Long> errors = new TreeMap<>();
        Map<String, String> errorSamples = new TreeMap<>();
        List<Answer> answers = new ArrayList<>();
        for (int r = 0; r < options.searchRepeats(); r++) {
            permits.acquire();
            long sentAt = System.nanoTime();
            send(query).handle((response, error) -> {
                latency.record(System.nanoTime() - sentAt);
                Answer answer = error != null
                    ? new Answer(OtlpSender.failure(error), null)
                    : parse(response);
                synchronized (answers) {
                    answers.add(answer);
                    if (answer.error() != null) {
                        errors.merge(answer.error().errorKey(), 1L, Long::sum);
                        errorSamples.putIfAbsent(answer.error().errorKey(), String.valueOf(answer.error().detail()));
                    }
                }
                permits.release();
                return null;
            });
        }
        permits.acquire(options.concurrency());
        Answer first = answers.stream().filter(a -> a.found() != null).findFirst().orElse(null);
        List<String> problems = first == null ? List.of("no successful answer")
            : expectation.problems(query, first.found().traceIds(), options.limit());
        return new SearchReport.QueryResult(query, latency.count(), errors, errorSamples,
            first == null ? 0 : first.found().traceIds().size(), first == null ? 0 : first.found().inspectedSpans(),
            latency.percentileNanos(0.5), latency.percentileNanos(0.9), latency.percentileNanos(0.99),
            latency.maxNanos(), problems);
    }

    private CompletableFuture<AggregatedHttpResponse> send(String query) {
        long startSeconds = TimeUnit.MILLISECONDS.toSeconds(options.baseTimeMs() - SyntheticTraces.MAX_TRACE_AGE_MS)
            - RANGE_SLACK_SECONDS;
        long endSeconds = TimeUnit.MILLISECONDS.toSeconds(options.baseTimeMs()) + RANGE_SLACK_SECONDS;
        String params = QueryParams.builder()
            .add("q", query)
            .addInt("limit", options.limit())
            .addLong("start", startSeconds)
            .addLong("end", endSeconds)
            .build()
            .toQueryString();
        RequestHeadersBuilder headers = RequestHeaders.builder(HttpMethod.GET, pathPrefix + "/api/search?" + params)
            .accept(MediaType.JSON);
        if (options.tenant() != null) headers.set("x-scope-orgid", options.tenant());
        try {
            return client.execute(headers.build()).aggregate();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Trace IDs and {@code metrics.inspectedSpans} of a 200 answer. */
    record Found(List<String> traceIds, long inspectedSpans) {}

    /** Either what was found or why the request failed. */
    private record Answer(OtlpSender.Outcome error, Found found) {}

    private static Answer parse(AggregatedHttpResponse response) {
        int code = response.status().code();
        String body = response.contentUtf8();
        if (code != 200) {
            return new Answer(new OtlpSender.Outcome("http:" + code,
                body.length() > MAX_DETAIL ? body.substring(0, MAX_DETAIL) : body), null);
        }
        try {
            JsonNode root = JSON.readTree(body);
            List<String> ids = new ArrayList<>();
            for (JsonNode trace : root.path("traces")) ids.add(trace.path("traceID").asText());
            return new Answer(null, new Found(ids, root.path("metrics").path("inspectedSpans").asLong(0)));
        } catch (IOException e) {
            return new Answer(new OtlpSender.Outcome("decode", e.getMessage()), null);
        }
    }
}
