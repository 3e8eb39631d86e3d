package io.vivace.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import io.grpc.Status;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vivace.common.proto.tempopb.Trace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the load tool against {@link FakeTempo} on an ephemeral port. */
class LoadToolTest {
    private static final long BASE_TIME_MS = 1_767_225_600_000L;
    private static final FakeTempo FAKE = new FakeTempo();

    @RegisterExtension
    static final ServerExtension SERVER = new ServerExtension() {
        @Override
        protected void configure(ServerBuilder sb) {
            FAKE.configure(sb);
        }
    };

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @BeforeEach
    void reset() {
        FAKE.reset();
    }

    @Test
    void encodedAheadSendsTheSameTracesAsEncodedWhileSending() {
        LoadTool.Outcome outcome = run("--mode=both", "--protocol=grpc", grpcEndpoint(), queryEndpoint(),
            "--seed=7", "--traces=25", "--spans-per-trace=7", "--batch-spans=10", "--concurrency=2", "--encode-ahead=true");

        assertEquals(LoadTool.EXIT_OK, outcome.exitCode(), output());
        assertEquals(25, outcome.send().traces());
        assertEquals(175, outcome.send().spansAcked());
        assertEquals(18, outcome.send().requests());
        assertEquals(175, FAKE.spansReceived());
        assertTrue(output().contains("encoded ahead   18 requests"), output());
        assertTrue(outcome.verify().ok(), output());
        assertEquals(175, outcome.verify().spansFound());
    }

    @Test
    void warmupRoundsSendOtherTracesFirstAndServerPidAddsTheServersCpuAndMemory() {
        long self = ProcessHandle.current().pid(); // the fake server runs in this process
        LoadTool.Outcome outcome = run("--protocol=grpc", grpcEndpoint(), "--tenant=warm", "--seed=3", "--traces=10",
            "--spans-per-trace=4", "--batch-spans=8", "--warmup-rounds=2", "--warmup-traces=5", "--warmup-batch-spans=4",
            "--encode-ahead=true", "--server-pid=" + self);

        assertEquals(LoadTool.EXIT_OK, outcome.exitCode(), output());
        assertEquals(40, outcome.send().spansAcked(), "the report covers the measured load only");
        assertEquals(80, FAKE.spansReceived());
        assertEquals(20, FAKE.traceCount("warm"), "warm-up traces are not the measured ones");
        assertEquals(2 * 20 / 4 + 40 / 8, FAKE.exportRequests(), "warm-up requests of 4 spans, measured ones of 8");
        assertTrue(output().contains("warm-up 1/2: 20 spans acknowledged"), output());
        assertTrue(output().contains("warm-up 2/2: 20 spans acknowledged"), output());
        assertTrue(output().contains("server CPU      "), output());
        assertTrue(outcome.send().serverRssBytes() > 0, output());
        assertTrue(summaryLines().anyMatch(l -> l.contains(" server_rss_mib=")), output());
    }

    @Test
    void grpcSendSpreadsTracesOverRequestsAndVerifyFindsEverySpan() {
        LoadTool.Outcome outcome = run("--mode=both", "--protocol=grpc", grpcEndpoint(), queryEndpoint(),
            "--tenant=acme", "--seed=7", "--traces=30", "--spans-per-trace=12", "--batch-spans=5", "--concurrency=3");

        assertEquals(LoadTool.EXIT_OK, outcome.exitCode(), output());
        SendReport send = outcome.send();
        assertEquals(30, send.traces());
        assertEquals(360, send.spansSent());
        assertEquals(360, send.spansAcked());
        assertEquals(72, send.requests());
        assertEquals(0, send.failedRequests());
        assertTrue(send.bytesAcked() > 0);
        assertTrue(send.maxNanos() >= send.p99Nanos() && send.p99Nanos() >= send.p50Nanos() && send.p50Nanos() > 0);
        assertEquals(360, FAKE.spansReceived());
        assertEquals(72, FAKE.exportRequests());
        assertEquals(Set.of("acme"), FAKE.ingestTenants());
        assertEquals(30, FAKE.traceCount("acme"));

        VerifyReport verify = outcome.verify();
        assertTrue(verify.ok(), output());
        assertEquals(30, verify.tracesChecked());
        assertEquals(30, verify.tracesFound());
        assertEquals(30, verify.tracesComplete());
        assertEquals(360, verify.spansFound());
        assertEquals(Set.of("application/protobuf"), FAKE.queryAcceptHeaders());
        assertTrue(summaryLines().anyMatch(l -> l.startsWith("SUMMARY mode=send protocol=grpc traces=30 spans=360 ")), output());
        assertTrue(summaryLines().anyMatch(l -> l.startsWith("SUMMARY mode=verify result=OK traces=30 found=30 ")), output());
    }

    @Test
    void httpSendPacksSeveralTracesPerRequestAndVerifiesInASeparateRun() {
        LoadTool.Outcome sent = run("--protocol=http", "--endpoint=" + SERVER.httpUri() + "/v1/traces",
            "--seed=3", "--traces=25", "--spans-per-trace=10", "--batch-spans=40", "--base-time-ms=" + BASE_TIME_MS);
        assertEquals(LoadTool.EXIT_OK, sent.exitCode(), output());
        assertNull(sent.verify());
        assertEquals(250, sent.send().spansAcked());
        assertEquals(7, sent.send().requests());
        assertEquals(Set.of("application/x-protobuf"), FAKE.ingestContentTypes());
        assertEquals(Set.of("<none>"), FAKE.ingestTenants());

        LoadTool.Outcome verified = run("--mode=verify", queryEndpoint(), "--seed=3", "--traces=25",
            "--spans-per-trace=10", "--base-time-ms=" + BASE_TIME_MS);
        assertEquals(LoadTool.EXIT_OK, verified.exitCode(), output());
        assertNull(verified.send());
        assertEquals(25, verified.verify().tracesComplete());
    }

    @Test
    void verifyReportsMissingTracesMissingSpansAndAlteredSpans() {
        SyntheticTraces generator = new SyntheticTraces(new SyntheticTraces.Config(11, 8, 4, BASE_TIME_MS));
        String missingTrace = generator.traceIdHex(2);
        String shortTrace = generator.traceIdHex(3);
        String alteredTrace = generator.traceIdHex(5);
        List<String> args = List.of("--seed=11", "--traces=10", "--spans-per-trace=8", "--services=4",
            "--base-time-ms=" + BASE_TIME_MS, grpcEndpoint(), queryEndpoint(), "--max-diffs=50");
        assertEquals(LoadTool.EXIT_OK, run(args, "--mode=send").exitCode(), output());

        FAKE.tamper(trace -> {
            String id = traceIdOf(trace);
            if (id.equals(missingTrace)) return Trace.getDefaultInstance();
            if (id.equals(shortTrace)) return mapSpans(trace, (index, span) -> index == 4 ? null : span);
            if (id.equals(alteredTrace)) {
                return mapSpans(trace, (index, span) -> index != 6 ? span : span.toBuilder().setName("renamed")
                    .addAttributes(KeyValue.newBuilder().setKey("extra").setValue(AnyValue.newBuilder().setIntValue(1)))
                    .build());
            }
            return trace;
        });
        LoadTool.Outcome outcome = run(args, "--mode=verify");

        assertEquals(LoadTool.EXIT_VERIFY_FAILED, outcome.exitCode(), output());
        VerifyReport report = outcome.verify();
        assertEquals(10, report.tracesChecked());
        assertEquals(9, report.tracesFound());
        assertEquals(7, report.tracesComplete());
        assertEquals(1, report.tracesMissing());
        assertEquals(1, report.spansMissing());
        assertEquals(1, report.spansAltered());
        assertEquals(0, report.spansUnexpected());
        assertEquals(3, report.firstDiffs().size(), report.firstDiffs().toString());
        assertTrue(report.firstDiffs().stream().anyMatch(d -> d.contains("name: expected") && d.contains("\"renamed\"")
            && d.contains("unexpected extra=1")), report.firstDiffs().toString());
        assertTrue(output().contains("result          FAIL"), output());
    }

    @Test
    void verifySendsTheTenantHeader() {
        List<String> args = List.of("--seed=5", "--traces=4", "--spans-per-trace=3", "--base-time-ms=" + BASE_TIME_MS,
            grpcEndpoint(), queryEndpoint());
        assertEquals(LoadTool.EXIT_OK, run(args, "--mode=send", "--tenant=team-a").exitCode(), output());

        assertEquals(LoadTool.EXIT_OK, run(args, "--mode=verify", "--tenant=team-a").exitCode(), output());
        LoadTool.Outcome otherTenant = run(args, "--mode=verify", "--tenant=team-b");
        assertEquals(LoadTool.EXIT_VERIFY_FAILED, otherTenant.exitCode());
        assertEquals(4, otherTenant.verify().tracesMissing());
    }

    @Test
    void grpcExportErrorsAreCountedByStatus() {
        FAKE.failGrpcExports(Status.RESOURCE_EXHAUSTED.withDescription("RATE_LIMITED: slow down, 50% over the limit — retry later"));
        LoadTool.Outcome outcome = run(grpcEndpoint(), "--traces=6", "--spans-per-trace=5", "--batch-spans=10");

        assertEquals(LoadTool.EXIT_SEND_ERRORS, outcome.exitCode(), output());
        assertEquals(3, outcome.send().failedRequests());
        assertEquals(0, outcome.send().spansAcked());
        assertEquals(Map.of("grpc:RESOURCE_EXHAUSTED", 3L), outcome.send().errors());
        assertEquals("RATE_LIMITED: slow down, 50% over the limit — retry later", outcome.send().errorSamples().get("grpc:RESOURCE_EXHAUSTED"));
    }

    @Test
    void httpExportErrorsAreCountedByStatus() {
        FAKE.failHttpExports(HttpStatus.TOO_MANY_REQUESTS);
        LoadTool.Outcome outcome = run("--protocol=http", "--endpoint=" + SERVER.httpUri() + "/v1/traces",
            "--traces=4", "--spans-per-trace=5", "--batch-spans=5");

        assertEquals(LoadTool.EXIT_SEND_ERRORS, outcome.exitCode(), output());
        assertEquals(Map.of("http:429", 4L), outcome.send().errors());
    }

    @Test
    void durationBoundsAnOtherwiseUnlimitedRun() {
        LoadTool.Outcome outcome = run(grpcEndpoint(), "--duration=300ms", "--spans-per-trace=4", "--batch-spans=100");

        assertEquals(LoadTool.EXIT_OK, outcome.exitCode(), output());
        SendReport send = outcome.send();
        assertTrue(send.traces() > 0);
        assertEquals(send.traces() * 4, send.spansAcked());
        assertEquals(send.spansAcked(), FAKE.spansReceived());
    }

    @Test
    void refusesNonLoopbackEndpointsBeforeSendingAnything() {
        assertEquals(LoadTool.EXIT_USAGE, run("--endpoint=10.1.2.3:4317").exitCode());
        assertEquals(LoadTool.EXIT_USAGE, LoadTool.run(new String[] {"--mode=verify", "--base-time-ms=" + BASE_TIME_MS,
            "--query-endpoint=http://192.0.2.1:3200"}, quiet(), quiet()));
        assertEquals(0, FAKE.exportRequests());
    }

    private LoadTool.Outcome run(List<String> args, String... more) {
        return run(Stream.concat(args.stream(), Stream.of(more)).toArray(String[]::new));
    }

    private LoadTool.Outcome run(String... args) {
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--progress-interval=0");
        try {
            return LoadTool.execute(LoadOptions.parse(all.toArray(String[]::new), System.currentTimeMillis()), out, out);
        } catch (LoadOptions.UsageException e) {
            throw new AssertionError(e);
        }
    }

    private static String grpcEndpoint() {
        return "--endpoint=127.0.0.1:" + SERVER.httpPort();
    }

    private static String queryEndpoint() {
        return "--query-endpoint=" + SERVER.httpUri();
    }

    private String output() {
        return output.toString(StandardCharsets.UTF_8);
    }

    private Stream<String> summaryLines() {
        return output().lines().filter(l -> l.startsWith("SUMMARY "));
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    private static String traceIdOf(Trace trace) {
        for (ResourceSpans rs : trace.getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    return HexFormat.of().formatHex(span.getTraceId().toByteArray());
                }
            }
        }
        return "";
    }

    private interface SpanMapper {
        /** Returns the replacement span, or null to drop it; {@code index} counts spans across the trace. */
        Span map(int index, Span span);
    }

    private static Trace mapSpans(Trace trace, SpanMapper mapper) {
        Trace.Builder result = Trace.newBuilder();
        int index = 0;
        for (ResourceSpans rs : trace.getResourceSpansList()) {
            ResourceSpans.Builder rsb = rs.toBuilder().clearScopeSpans();
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                ScopeSpans.Builder ssb = ss.toBuilder().clearSpans();
                for (Span span : ss.getSpansList()) {
                    Span mapped = mapper.map(index++, span);
                    if (mapped != null) ssb.addSpans(mapped);
                }
                rsb.addScopeSpans(ssb);
            }
            result.addResourceSpans(rsb);
        }
        return result.build();
    }
}
