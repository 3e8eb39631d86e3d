package io.vivace.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vivace.app.VivaceServer;
import io.vivace.common.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load tool's search mode against the real single binary: 160 synthetic traces, half of them flushed into a
 * block and half still in the ingester, searched with the default query shapes and checked by the engine.
 */
class LoadToolSearchTest {
    private static final long TRACES = 160;
    private static final long BASE_TIME_MS = System.currentTimeMillis();

    @TempDir
    static Path dir;
    static VivaceServer server;

    @BeforeAll
    static void startAndSend() throws Exception {
        server = VivaceServer.start(new ConfigLoader().parse("""
            server: {http_listen_address: 127.0.0.1, http_listen_port: 0}
            distributor:
              receivers:
                otlp:
                  protocols:
                    grpc: {endpoint: "127.0.0.1:0"}
            storage:
              trace:
                local: {path: %s}
                wal: {path: %s}
                blocklist_poll: 1h
            ingester: {flush_check_period: 1h}
            """.formatted(dir.resolve("blocks"), dir.resolve("wal"))));
        send("--seed=11", "--traces=" + TRACES / 2);
        server.flushAndPoll();
        send("--seed=11", "--traces=" + TRACES);   // the first half again (stored once) and the second half
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void everyDefaultQueryIsAnsweredAndMatchesTheEngineOnTheSentTraces() throws Exception {
        Run run = search("--seed=11", "--traces=" + TRACES, "--search-repeats=3");

        assertEquals(LoadTool.EXIT_OK, run.outcome().exitCode(), run.output());
        SearchReport report = run.outcome().search();
        assertEquals(SearchQueries.DEFAULT.size(), report.queries().size());
        Map<String, SearchReport.QueryResult> byQuery = report.queries().stream()
            .collect(Collectors.toMap(SearchReport.QueryResult::query, Function.identity()));
        assertEquals(20, byQuery.get("{ }").traces(), run.output());
        assertEquals(0, byQuery.get("{ span.http.route = \"/no/such/route\" }").traces(), run.output());
        report.queries().forEach(q -> assertEquals(3, q.requests(), q.query()));
        assertTrue(run.output().contains("SUMMARY mode=search result=OK limit=20 requests=3"), run.output());
    }

    @Test
    void tracesOfAnotherSeedAreReportedAsNotSent() throws Exception {
        Run run = search("--seed=12", "--traces=" + TRACES, "--search-repeats=1", "--limit=5");

        assertEquals(LoadTool.EXIT_VERIFY_FAILED, run.outcome().exitCode(), run.output());
        assertTrue(run.output().contains("was not sent by this run"), run.output());
    }

    @Test
    void aQueryTheServerRefusesCountsAsARequestError() throws Exception {
        Path queries = Files.writeString(dir.resolve("queries.txt"), "# one bad query\n{ span.x = }\n");

        Run run = search("--seed=11", "--traces=" + TRACES, "--search-repeats=2",
            "--queries=" + queries);

        assertEquals(LoadTool.EXIT_VERIFY_FAILED, run.outcome().exitCode(), run.output());
        SearchReport.QueryResult result = run.outcome().search().queries().get(0);
        assertEquals(Map.of("http:400", 2L), result.errors(), run.output());
        assertFalse(result.ok());
    }

    private static void send(String... args) throws LoadOptions.UsageException {
        Run run = run(args, "--mode=send", "--endpoint=127.0.0.1:" + server.otlpGrpcPort());
        assertEquals(LoadTool.EXIT_OK, run.outcome().exitCode(), run.output());
    }

    private static Run search(String... args) throws LoadOptions.UsageException {
        return run(args, "--mode=search", "--query-endpoint=http://127.0.0.1:" + server.queryPort());
    }

    private record Run(LoadTool.Outcome outcome, String output) {}

    private static Run run(String[] args, String... more) throws LoadOptions.UsageException {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        all.addAll(List.of("--base-time-ms=" + BASE_TIME_MS, "--spans-per-trace=12", "--services=12",
            "--progress-interval=0"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        LoadTool.Outcome outcome = LoadTool.execute(LoadOptions.parse(all.toArray(String[]::new), BASE_TIME_MS), out, out);
        return new Run(outcome, bytes.toString(StandardCharsets.UTF_8));
    }
}
