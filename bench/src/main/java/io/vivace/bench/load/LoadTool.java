package io.vivace.bench.load;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import io.vivace.bench.load.LoadOptions.Mode;
import io.vivace.bench.load.LoadOptions.UsageException;
import java.io.PrintStream;
import java.util.List;

/**
 * End-to-end load tool: sends deterministic synthetic traces over OTLP (gRPC or HTTP) to a local Vivace or Tempo,
 * and/or reads every trace back by ID and checks it span by span. Options are {@code --key=value}; see
 * {@link #USAGE} or {@code docs/load-tool.md}.
 */
public final class LoadTool {
    public static final int EXIT_OK = 0;
    public static final int EXIT_VERIFY_FAILED = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_SEND_ERRORS = 3;

    static final String USAGE = """
        usage: LoadTool [--key=value ...]
          --mode=send|verify|both|search send traces, check them by ID, both, or time TraceQL searches
                                         over them and check the results (default send)
          --protocol=grpc|http           OTLP transport (default grpc)
          --endpoint=...                 grpc: host:port (default localhost:4317);
                                         http: URL (default http://localhost:4318/v1/traces)
          --query-endpoint=URL           query API base for verify (default http://localhost:3200)
          --tenant=ID                    send X-Scope-OrgID: ID on every request (default none)
          --seed=N                       generator seed (default 1)
          --traces=N                     number of traces (default 1000; unbounded when only --duration is set)
          --duration=D                   stop sending after D (e.g. 30s, 5m); applies to send only
          --spans-per-trace=N            spans in every trace (default 20)
          --batch-spans=N                spans per export request (default 500)
          --concurrency=N                requests in flight (default 4)
          --services=N                   distinct services (default 8)
          --base-time-ms=MS              traces end before this epoch ms (default now; required for verify)
          --timeout=D                    per-request timeout (default 10s)
          --encode-ahead=true|false      send: generate and serialize every request before the clock starts,
                                         so the client spends its CPU on sending only (needs --traces; default false)
          --warmup-rounds=N              send N warm-up loads (in this JVM) before the measured one (default 0,
                                         1 with --warmup-traces); warm-up round r uses seed + r * 1000003
          --warmup-traces=N              traces per warm-up load (default min(--traces, 10000))
          --warmup-batch-spans=N         spans per export request of the warm-up loads (default --batch-spans);
                                         smaller requests bring per-request code to C2 with fewer spans
          --server-pid=PID               also report the CPU the server process (on this machine) spent per span,
                                         by thread group, for every load, and its resident memory at the end
          --server-jfr=FILE              with --server-pid: record the server's measured load into a flight
                                         recording (jcmd JFR.start/JFR.stop)
          --progress-interval=D          progress line interval, 0 to disable (default 5s)
          --verify-delay=D               pause between send and verify in --mode=both (default 0s)
          --max-diffs=N                  differences printed by verify (default 10)
          --queries=FILE                 search: TraceQL queries, one per line (default: built-in shapes)
          --limit=N                      search: traces per search (default 20, as Grafana)
          --search-repeats=N             search: requests per query (default 20)
        exit codes: 0 ok, 1 verify or search found missing/altered/wrong data or request errors, 2 bad options, 3 export errors
        """;

    private LoadTool() {}

    /** The reports are null for the phases that did not run. */
    public record Outcome(int exitCode, SendReport send, VerifyReport verify, SearchReport search) {
        Outcome(int exitCode) {
            this(exitCode, null, null, null);
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.print(USAGE);
            return EXIT_OK;
        }
        LoadOptions options;
        try {
            options = LoadOptions.parse(args, System.currentTimeMillis());
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.print(USAGE);
            return EXIT_USAGE;
        }
        return execute(options, out, err).exitCode();
    }

    public static Outcome execute(LoadOptions options, PrintStream out, PrintStream err) {
        try {
            return executeChecked(options, out);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            return new Outcome(EXIT_USAGE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted");
            return new Outcome(EXIT_VERIFY_FAILED);
        }
    }

    private static Outcome executeChecked(LoadOptions o, PrintStream out) throws UsageException, InterruptedException {
        boolean send = o.mode().sends();
        boolean verify = o.mode().verifies();
        boolean search = o.mode() == Mode.SEARCH;
        List<String> queries = !search ? List.of()
            : o.queriesFile() == null ? SearchQueries.DEFAULT : SearchQueries.read(o.queriesFile());
        // Resolve and check every endpoint before any traffic.
        Endpoints.Target ingest = !send ? null : switch (o.protocol()) {
            case GRPC -> Endpoints.grpc(o.endpoint());
            case HTTP -> Endpoints.http("--endpoint", o.endpoint(), "/v1/traces");
        };
        Endpoints.Target query = verify || search ? Endpoints.http("--query-endpoint", o.queryEndpoint(), "") : null;

        SyntheticTraces generator = new SyntheticTraces(o.generatorConfig());
        SendReport sendReport = null;
        VerifyReport verifyReport = null;
        SearchReport searchReport = null;
        try (ClientFactory factory = ClientFactory.builder().build()) {
            long traces = o.traces();
            if (send) {
                out.printf("sending %s traces of %d spans over OTLP/%s to %s%s (seed=%d base_time_ms=%d)%n",
                    o.traces() == Long.MAX_VALUE ? "up to " + o.duration() + " of" : Long.toString(o.traces()),
                    o.spansPerTrace(), o.protocol(), o.endpoint(), tenantNote(o), o.seed(), o.baseTimeMs());
                OtlpSender sender = switch (o.protocol()) {
                    case GRPC -> new GrpcOtlpSender(factory, ingest.base(), o.tenant(), o.timeout());
                    case HTTP -> new HttpOtlpSender(factory, ingest.base(), ingest.path(), o.tenant(), o.timeout());
                };
                for (int round = 1; round <= o.warmupRounds(); round++) {
                    SendRun warmup = new SendRun(o, new SyntheticTraces(o.warmupConfig(round)), o.warmupTraces(),
                        o.warmupBatchSpans(), sender, out);
                    if (o.encodeAhead()) warmup.encodeAhead();
                    warmup.run().printBrief("warm-up " + round + "/" + o.warmupRounds(), out);
                }
                SendRun run = new SendRun(o, generator, o.traces(), o.batchSpans(), sender, out);
                if (o.encodeAhead()) run.encodeAhead();
                try (ServerProcess.Recording recording = ServerProcess.record(o)) {
                    sendReport = run.run();
                }
                sendReport.print(out);
                traces = sendReport.traces();
                out.println("verify with:     --mode=verify " + o.generatorArgs(traces)
                    + (o.tenant() != null ? " --tenant=" + o.tenant() : ""));
                out.println(sendReport.summary(o));
            }
            if (verify) {
                if (send && !o.verifyDelay().isZero() && !o.verifyDelay().isNegative()) {
                    out.println("waiting " + o.verifyDelay() + " before verifying");
                    Thread.sleep(o.verifyDelay().toMillis());
                }
                out.printf("verifying %d traces at %s%s%n", traces, o.queryEndpoint(), tenantNote(o));
                verifyReport = new VerifyRun(o, generator, queryClient(o, factory, query), query.path(), out).run(traces);
                verifyReport.print(out);
                out.println(verifyReport.summary(o));
            }
            if (search) {
                out.printf("searching %d queries at %s%s over %d traces (limit %d, %d requests each)%n", queries.size(),
                    o.queryEndpoint(), tenantNote(o), traces, o.limit(), o.searchRepeats());
                SearchExpectation expectation = new SearchExpectation(generator, traces);
                searchReport = new SearchRun(o, expectation, queryClient(o, factory, query), query.path(), out).run(queries);
                searchReport.print(out);
                out.println(searchReport.summary(o));
            }
        }
        int exit = EXIT_OK;
        if (verifyReport != null && !verifyReport.ok() || searchReport != null && !searchReport.ok()) exit = EXIT_VERIFY_FAILED;
        else if (sendReport != null && sendReport.failedRequests() > 0) exit = EXIT_SEND_ERRORS;
        return new Outcome(exit, sendReport, verifyReport, searchReport);
    }

    private static WebClient queryClient(LoadOptions o, ClientFactory factory, Endpoints.Target query) {
        return WebClient.builder(query.base()).factory(factory).responseTimeout(o.timeout()).maxResponseLength(0).build();
    }

    private static String tenantNote(LoadOptions o) {
        return o.tenant() == null ? "" : " as tenant " + o.tenant();
    }
}
