package io.vivace.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {
    private static final long NOW = 1_767_225_600_000L;

    @Test
    void defaults() throws Exception {
        LoadOptions o = LoadOptions.parse(new String[0], NOW);
        assertEquals(LoadOptions.Mode.SEND, o.mode());
        assertEquals(LoadOptions.Protocol.GRPC, o.protocol());
        assertEquals("localhost:4317", o.endpoint());
        assertEquals("http://localhost:3200", o.queryEndpoint());
        assertNull(o.tenant());
        assertEquals(1000, o.traces());
        assertNull(o.duration());
        assertEquals(NOW, o.baseTimeMs());
        assertEquals(20, o.spansPerTrace());
        assertEquals(500, o.batchSpans());
        assertEquals(4, o.concurrency());
        assertEquals("http://localhost:4318/v1/traces",
            LoadOptions.parse(new String[] {"--protocol=http"}, NOW).endpoint());
    }

    @Test
    void durationAloneLeavesTheTraceCountToTheClock() throws Exception {
        LoadOptions o = LoadOptions.parse(new String[] {"--duration=2m"}, NOW);
        assertEquals(Duration.ofMinutes(2), o.duration());
        assertEquals(Long.MAX_VALUE, o.traces());
        assertEquals(Duration.ofMillis(1500), LoadOptions.duration("x", "1.5s"));
        assertEquals(Duration.ofMillis(250), LoadOptions.duration("x", "250ms"));
        assertEquals(Duration.ofSeconds(30), LoadOptions.duration("x", "PT30S"));
        assertEquals(Duration.ofSeconds(7), LoadOptions.duration("x", "7"));
    }

    @Test
    void rejectsBadOptions() {
        assertUsage("unknown option --trace", "--trace=5");
        assertUsage("must be one of send|verify|both|search", "--mode=load");
        assertUsage("needs a value", "--traces");
        assertUsage("given twice", "--seed=1", "--seed=2");
        assertUsage("must be between 1 and", "--batch-spans=0");
        assertUsage("needs --base-time-ms", "--mode=verify");
        assertUsage("must be a duration", "--duration=soon");
        assertUsage("--mode=search needs --base-time-ms", "--mode=search");
        assertUsage("--limit applies to --mode=search only", "--limit=5");
        assertUsage("--duration applies to sending", "--mode=search", "--base-time-ms=" + NOW, "--duration=5s");
        assertUsage("--encode-ahead needs --traces", "--encode-ahead=true", "--duration=5s");
        assertUsage("--encode-ahead must be true or false", "--traces=5", "--encode-ahead=yes");
        assertUsage("--encode-ahead applies to sending", "--mode=verify", "--base-time-ms=" + NOW, "--traces=5", "--encode-ahead=true");
        assertUsage("--warmup-rounds and --warmup-traces apply to --mode=send", "--mode=both", "--warmup-traces=5");
        assertUsage("--warmup-rounds must be between 0 and 1000", "--warmup-rounds=-1");
        assertUsage("--warmup-batch-spans needs --warmup-rounds", "--warmup-batch-spans=100");
        assertUsage("--server-jfr needs --server-pid", "--server-jfr=x.jfr");
        assertUsage("no such process", "--server-pid=" + (Long.MAX_VALUE - 1));
    }

    @Test
    void endpointsMustBeLoopback() throws Exception {
        assertEquals("http://127.0.0.1:4317", Endpoints.grpc("127.0.0.1:4317").base().toString());
        assertEquals("/v1/traces", Endpoints.http("--endpoint", "http://localhost:4318", "/v1/traces").path());
        assertEquals("/prefix", Endpoints.http("--query-endpoint", "http://[::1]:3200/prefix", "").path());
        LoadOptions.UsageException e = assertThrows(LoadOptions.UsageException.class, () -> Endpoints.grpc("192.0.2.7:4317"));
        assertTrue(e.getMessage().contains("not a loopback address"), e.getMessage());
        assertThrows(LoadOptions.UsageException.class, () -> Endpoints.http("--endpoint", "https://localhost:4318", ""));
        assertThrows(LoadOptions.UsageException.class, () -> Endpoints.http("--endpoint", "http://localhost/v1/traces", ""));
    }

    private static void assertUsage(String expectedText, String... args) {
        LoadOptions.UsageException e = assertThrows(LoadOptions.UsageException.class, () -> LoadOptions.parse(args, NOW));
        assertTrue(e.getMessage().contains(expectedText), e.getMessage());
    }
}
