package io.vivace.common.traceql;

import static io.vivace.common.traceql.TestSpan.span;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Engine semantics beyond the reference corpus: scoping, events, IDs, structure edge cases, results. */
class EngineBehaviourTest {

    private static final List<String> NO_MATCH = List.of();

    private static List<String> run(String query, TestSpan... spans) {
        return Queries.run(query, TestTrace.of(spans));
    }

    @Test
    void notEqualSkipsSpansWithoutTheAttributeButNegationDoesNot() {
        TestSpan with = span("W").attr("a", 2);
        TestSpan without = span("O");
        assertEquals(List.of("W"), run("{ .a != 1 }", with, without));
        assertEquals(List.of("O,W"), run("{ !(.a = 1) }", with, without));
        assertEquals(List.of("O,W"), run("{ .a != 1 || .a = nil }", with, without));
    }

    @Test
    void connectivesWithANonBooleanOperandAreFalseWhicheverSide() {
        assertEquals(NO_MATCH, run("{ .missing || true }", span("A")));
        assertEquals(NO_MATCH, run("{ true || .missing }", span("A")));
        assertEquals(List.of("A"), run("{ .flag || false }", span("A").attr("flag", true)));
        assertEquals(NO_MATCH, run("{ !.missing }", span("A")));
    }

    @Test
    void enumsOnlyEqualTheSameEnum() {
        TestSpan a = span("A").status(StatusCode.ERROR).kind(SpanKind.SERVER).attr("x", "error");
        assertEquals(List.of("A"), run("{ status = error && kind = server && span:kind != client }", a));
        assertEquals(NO_MATCH, run("{ .x = error }", a));
    }

    @Test
    void eventConditionsJoinedByAndMustHoldOnOneEvent() {
        TestSpan a = span("A").start(0)
                .event("e1", 10, Map.of("k", "x"))
                .event("e2", 20, Map.of("k", "y", "n", 1));
        assertEquals(NO_MATCH, run("{ event.k = \"x\" && event.n = 1 }", a));
        assertEquals(List.of("A"), run("{ event.k = \"y\" && event.n = 1 && event:name = \"e2\" }", a));
        assertEquals(List.of("A"), run("{ event:timeSinceStart = 20ns }", a));
        assertEquals(NO_MATCH, run("{ event:name = \"e3\" }", a));
    }

    @Test
    void linkIntrinsicsAndInstrumentation() {
        TestSpan a = span("A").link("0af7", "b7ad", Map.of()).scope("io.grpc", "1.2");
        assertEquals(List.of("A"), run("{ link:traceID = \"0af7\" && link:spanID = \"b7ad\" }", a));
        assertEquals(List.of("A"), run("{ instrumentation:name = \"io.grpc\" && instrumentation:version =~ \"1\\\\..*\" }", a));
    }

    @Test
    void traceIdComparesWithoutLeadingZeros() {
        TestTrace t = new TestTrace("000000000000000000000000000abc12", List.of(span("A")));
        assertEquals(List.of("A"), Queries.run("{ trace:id = \"0abc12\" }", t));
        assertEquals(List.of("A"), Queries.run("{ trace:id = \"ABC12\" }", t));
        assertEquals(NO_MATCH, Queries.run("{ trace:id = \"abc13\" }", t));
    }

    @Test
    void spanIdsAndChildCount() {
        TestSpan root = span("R").id("00000000000000aa").name("root");
        TestSpan c1 = span("C1").id("00000000000000b1").parent("00000000000000aa");
        TestSpan c2 = span("C2").id("00000000000000b2").parent("00000000000000aa");
        assertEquals(List.of("R"), run("{ span:childCount = 2 }", root, c1, c2));
        assertEquals(List.of("C1,C2"), run("{ span:parentID = \"00000000000000aa\" }", root, c1, c2));
        assertEquals(List.of("C1"), run("{ span:id = \"00000000000000b1\" }", root, c1, c2));
        assertEquals(List.of("C1,C2"), run("{ span:childCount = 0 }", root, c1, c2));
        assertEquals(List.of("C1,C2"), run("{ rootName = \"root\" && span:parentID != nil }", root, c1, c2));
    }

    @Test
    void rootsAreSiblingsOfEachOther() {
        assertEquals(List.of("R1,R2"), run("{ } ~ { }", span("R1").nested(1, 2, -1), span("R2").nested(3, 4, -1)));
    }

    @Test
    void descendantAndAncestorAcrossSeveralLevels() {
        TestSpan r = span("R").attr("k", "r").nested(1, 8, -1);
        TestSpan a = span("A").attr("k", "a").nested(2, 5, 1);
        TestSpan b = span("B").attr("k", "b").nested(3, 4, 2);
        TestSpan c = span("C").attr("k", "c").nested(6, 7, 1);
        assertEquals(List.of("B"), run("{ .k = \"r\" } >> { .k = \"b\" }", r, a, b, c));
        assertEquals(NO_MATCH, run("{ .k = \"r\" } > { .k = \"b\" }", r, a, b, c));
        assertEquals(List.of("R"), run("{ .k = \"b\" } << { .k = \"r\" }", r, a, b, c));
        assertEquals(List.of("A,R"), run("{ .k = \"b\" } << { }", r, a, b, c));
        assertEquals(List.of("B,C"), run("{ } !< { }", r, a, b, c));
        assertEquals(List.of("A,B,R"), run("{ .k = \"b\" } &<< { }", r, a, b, c));
        // A is not its own sibling and B has none; C is A's sibling.
        assertEquals(List.of("A,B"), run("{ .k = \"a\" } !~ { .k != \"r\" }", r, a, b, c));
    }

    @Test
    void structuralOperatorNeedsOneSpansetPerSide() {
        assertThrows(TraceQLRuntimeException.class, () -> run("({ } | by(.k)) > ({ } | by(.k))",
                span("A").attr("k", 1).nested(1, 4, -1), span("B").attr("k", 2).nested(2, 3, 1)));
        assertEquals(List.of("B"), run("({ } | by(.k) | coalesce()) > ({ } | by(.k) | coalesce())",
                span("A").attr("k", 1).nested(1, 4, -1), span("B").attr("k", 2).nested(2, 3, 1)));
    }

    @Test
    void pipelineExpressionsCombineWholePipelines() {
        TestSpan a1 = span("A1").attr("k", "a");
        TestSpan a2 = span("A2").attr("k", "a");
        TestSpan b1 = span("B1").attr("k", "b");
        assertEquals(List.of("A1,A2,B1"),
                run("({ .k = \"a\" } | count() > 1) && ({ .k = \"b\" } | count() = 1)", a1, a2, b1));
        assertEquals(NO_MATCH, run("({ .k = \"a\" } | count() > 2) && ({ .k = \"b\" } | count() = 1)", a1, a2, b1));
        assertEquals(List.of("B1"), run("({ .k = \"a\" } | count() > 2) || ({ .k = \"b\" } | count() = 1)", a1, a2, b1));
    }

    @Test
    void aggregatesKeepTypes() {
        TestSpan a = span("A").attr("n", 2).attr("f", 1.5);
        TestSpan b = span("B").attr("n", 5).attr("f", 0.5);
        assertEquals(List.of("A,B {sum(.n)=7}"), Queries.runWithAttributes("{ } | sum(.n) = 7", TestTrace.of(a, b)));
        assertEquals(List.of("A,B {avg(.n)=3.5}"), Queries.runWithAttributes("{ } | avg(.n) = 3.5", TestTrace.of(a, b)));
        assertEquals(List.of("A,B {min(.f)=0.5}"), Queries.runWithAttributes("{ } | min(.f) < 1", TestTrace.of(a, b)));
        assertEquals(List.of("A,B {max(.n * 2)=10}"),
                Queries.runWithAttributes("{ } | max(.n * 2) >= 10", TestTrace.of(a, b)));
    }

    @Test
    void nestedGroupsThenCoalesce() {
        TestSpan a = span("A").attr("x", 1).attr("y", "p");
        TestSpan b = span("B").attr("x", 1).attr("y", "q");
        TestSpan c = span("C").attr("x", 2).attr("y", "p");
        assertEquals(List.of("A {by(.x)=1, by(.y)=\"p\"}", "B {by(.x)=1, by(.y)=\"q\"}", "C {by(.x)=2, by(.y)=\"p\"}"),
                Queries.runWithAttributes("{ } | by(.x) | by(.y)", TestTrace.of(a, b, c)));
        assertEquals(List.of("A,B,C {}"), Queries.runWithAttributes("{ } | by(.x) | coalesce()", TestTrace.of(a, b, c)));
        assertEquals(List.of("A,B {by(.x)=1, count()=2}"),
                Queries.runWithAttributes("{ } | by(.x) | count() = 2", TestTrace.of(a, b, c)));
    }

    @Test
    void groupValuesAreTyped() {
        assertEquals(2, new SearchEngine(Queries.parse("{ } | by(.v)"))
                .evaluate(TestTrace.of(span("A").attr("v", 1), span("B").attr("v", 1.0))).orElseThrow()
                .spansets().size());
    }

    @Test
    void spansPerSpansetTruncationKeepsTheMatchedCount() {
        MatchedSpanset s = new SearchEngine(Queries.parse("{ }"))
                .evaluate(TestTrace.of(span("A"), span("B"), span("C"), span("D"))).orElseThrow().spansets().getFirst();
        assertEquals(4, s.matched());
        assertEquals(3, s.firstSpans(3).size());
        assertEquals(4, s.firstSpans(0).size());
    }

    @Test
    void emptyTraceNeverMatches() {
        assertEquals(NO_MATCH, Queries.run("{ }", new TestTrace("01", List.of())));
    }

    @Test
    void searchEngineRefusesMetricsQueries() {
        assertThrows(IllegalArgumentException.class, () -> new SearchEngine(Queries.parse("{ } | rate()")));
    }

    @Test
    void hintsAreMergedAndTyped() {
        Hints h = Queries.parse("{ } with(sample=0.1, most_recent=true) with(sample=0.5, job_size=\"x\")").hints();
        assertEquals(0.5, h.number("sample").orElseThrow());
        assertEquals(true, h.bool("most_recent").orElseThrow());
        assertEquals("x", h.string("job_size").orElseThrow());
        assertEquals(false, h.bool("sample").isPresent());
    }
}
