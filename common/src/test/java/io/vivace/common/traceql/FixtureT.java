package io.vivace.common.traceql;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Trace T of reference §3.3 (Tempo's {@code makeExpectedTrace}): a root S2 with children S1 and S3, and S4 whose
 * parent is itself (so it is disconnected). Every span starts at 1000 s.
 */
final class FixtureT {

    static final long START = 1000L * 1_000_000_000L;

    private FixtureT() {
    }

    static TestTrace trace() {
        TestSpan s2 = TestSpan.span("S2").id("040506").parent("").name("RootSpan").kind(SpanKind.CLIENT)
                .status(StatusCode.UNSET).start(START).duration(Duration.ofSeconds(2))
                .resource("service.name", "RootService")
                .attr("foo", "Bar").attr("parent", true)
                .nested(1, 6, -1);
        TestSpan s1 = TestSpan.span("S1").id("010203").parent("040506").name("MySpan").kind(SpanKind.UNSPECIFIED)
                .status(StatusCode.ERROR).start(START).duration(Duration.ofSeconds(1))
                .resource("service.name", "MyService").resource("cluster", "MyCluster").resource("bat", "Baz")
                .scope("scope-1", "version-1").scopeAttr("scope-attr-str", "scope-attr-1")
                .attr("http.method", "Get").attr("http.url", "url/Hello/World").attr("http.status_code", 500)
                .attr("foo", "Bar").attr("child", true).attr("numericString", "123")
                .event("event name", START + 500_000_000L, Map.of("exception.message", "random error"))
                .link("00000000000000000000000000000001", "040506", Map.of("relation", "child-of"))
                .nested(2, 3, 1);
        TestSpan s3 = TestSpan.span("S3").id("070809").parent("040506").name("").kind(SpanKind.PRODUCER)
                .status(StatusCode.OK).start(START).duration(Duration.ofSeconds(1))
                .resource("service.name", "Service3")
                .attr("child2", true)
                .nested(4, 5, 1);
        TestSpan s4 = TestSpan.span("S4").id("000000").parent("000000").name("BrokenSpan").kind(SpanKind.UNSPECIFIED)
                .status(StatusCode.OK).start(START).duration(Duration.ofSeconds(1))
                .resource("service.name", "BrokenService")
                .attr("broken", true)
                .nested(0, 0, 0);
        return new TestTrace("00000000000000000000000000000001", List.of(s1, s2, s3, s4));
    }
}
