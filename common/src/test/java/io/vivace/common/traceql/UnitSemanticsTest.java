package io.vivace.common.traceql;

import static io.vivace.common.traceql.TestSpan.span;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code cases_unit} of reference §3.3: one small trace each; attributes are span attributes unless noted. */
class UnitSemanticsTest {

    private static final List<String> NO_MATCH = List.of();

    private static List<String> run(String query, TestSpan... spans) {
        return Queries.run(query, TestTrace.of(spans));
    }

    @Test
    void attributeToAttributeEquality() {
        assertEquals(List.of("A"), run("{ .foo = .bar }", span("A").attr("foo", "bzz").attr("bar", "bzz")));
        assertEquals(NO_MATCH, run("{ .foo = .bar }", span("A").attr("foo", "str").attr("bar", 5)));
    }

    @Test
    void missingAttributeDoesNotMatch() {
        assertEquals(NO_MATCH, run("{ .foo = \"bar\" }", span("A").attr("fzz", "bar")));
    }

    @Test
    void anchoredRegexes() {
        assertEquals(List.of("A"), run("{ .field1 =~ \"hello w.*\" && .field2 !~ \"bye b.*\" }",
                span("A").attr("field1", "hello world").attr("field2", "bye world")));
    }

    @Test
    void numericComparisonsMixIntFloatAndDuration() {
        assertEquals(List.of("A"),
                run("{ .foo > 2 && .foo >= 3.5 && .foo < 5 && .foo <= 3.5 && .duration > 1800ms }",
                        span("A").attr("foo", 3.5).attr("duration", Duration.ofSeconds(2))));
    }

    @Test
    void unscopedPrefersTheSpanAttributeAndScopedReadsOnlyItsScope() {
        TestSpan a = span("A").attr("foo", "scope_span").resource("foo", "scope_resource");
        assertEquals(List.of("A"), run("{ .foo = \"scope_span\" }", a));
        assertEquals(List.of("A"), run("{ resource.foo = \"scope_resource\" }", a));
        assertEquals(NO_MATCH, run("{ .foo = \"scope_resource\" }", a));
        assertEquals(NO_MATCH, run("{ span.foo = \"scope_resource\" }", a));
    }

    @Test
    void stringsCompareLexicographically() {
        assertEquals(List.of("B,C,D"), run("{ .http.status > `200` }", span("A").attr("http.status", "200"),
                span("B").attr("http.status", "201"), span("C").attr("http.status", "300"),
                span("D").attr("http.status", "301")));
    }

    @Test
    void stringLiteralAgainstIntAttributeIsFalse() {
        assertEquals(NO_MATCH, run("{ .http.status > `200` }", span("A").attr("http.status", 200),
                span("B").attr("http.status", 201)));
    }

    @Test
    void orOfRanges() {
        assertEquals(List.of("A,C,D"), run("{ .foo = 1 || (.foo >= 4 && .foo < 6) }", span("A").attr("foo", 1),
                span("B").attr("foo", 2), span("C").attr("foo", 4), span("D").attr("foo", 5), span("E").attr("foo", 6)));
    }

    @Test
    void intLiteralMatchesIntFloatAndDurationAttributes() {
        assertEquals(List.of("A,B,C"), run("{ .foo = 1 }", span("A").attr("foo", 1), span("B").attr("foo", 1.0),
                span("C").attr("foo", Duration.ofNanos(1))));
    }

    @Test
    void intAttributeLessThanFloatAttribute() {
        assertEquals(List.of("A"), run("{ .foo < .bar }", span("A").attr("foo", 1).attr("bar", 2.0),
                span("B").attr("foo", 2).attr("bar", 1.0)));
    }

    @Test
    void arraysMatchWhenAnyElementMatches() {
        assertEquals(List.of("A"), run("{ .foo = `bar` }", span("A").attr("foo", List.of("bar", "baz")),
                span("B").attr("foo", "b")));
    }

    @Test
    void arrayNotEqualMeansNoElementEquals() {
        assertEquals(List.of("A"), run("{ .foo != `baz` }", span("A").attr("foo", List.of("bar", "bla")),
                span("B").attr("foo", List.of("baz"))));
    }

    @Test
    void arrayNotRegexMeansNoElementMatches() {
        assertEquals(List.of("A"), run("{ .foo !~ `ba.*` }", span("A").attr("foo", List.of("foo", "boo")),
                span("B").attr("foo", List.of("bar", "baz")), span("C").attr("foo", List.of("bar"))));
    }

    @Test
    void boolArrayNeedsBothValues() {
        assertEquals(List.of("A"), run("{ .foo = true && .foo = false }", span("A").attr("foo", List.of(true, false)),
                span("B").attr("foo", List.of(true, true)), span("C").attr("foo", List.of(false, false))));
    }

    @Test
    void emptyArrayMatchesNothing() {
        assertEquals(NO_MATCH, run("{ .foo = 1 }", span("A").attr("foo", Value.array(ValueType.INT, List.of()))));
    }

    @Test
    void arithmeticOnArrayFailsTheQuery() {
        assertThrows(TraceQLRuntimeException.class, () -> run("{ .foo + 3 = 4 }", span("A").attr("foo", List.of(1, 2))));
    }

    @Test
    void spansetAndNeedsBothSidesAndReturnsTheirUnion() {
        assertEquals(List.of("X,Y"), run("{ .foo = `a` } && { .foo = `b` }", span("X").attr("foo", "a"),
                span("Y").attr("foo", "b")));
        assertEquals(NO_MATCH, run("{ .foo = `a` } && { .foo = `b` }", span("Z").attr("foo", "b")));
    }

    @Test
    void spansetOrNeedsEitherSide() {
        assertEquals(List.of("Z"), run("{ .foo = `a` } || { .foo = `b` }", span("Z").attr("foo", "b"),
                span("W").attr("foo", "c")));
    }

    @Test
    void countAttachesItsValue() {
        assertEquals(List.of("A,B {count()=2}"), Queries.runWithAttributes("{ .foo = `a` } | count() > 1",
                TestTrace.of(span("A").attr("foo", "a"), span("B").attr("foo", "a"))));
        assertEquals(NO_MATCH, run("{ .foo = `a` } | count() > 1", span("A").attr("foo", "a"), span("B").attr("foo", "b")));
    }

    @Test
    void averageOfDurationsIsADuration() {
        assertEquals(List.of("A,B {avg(duration)=10ms}"), Queries.runWithAttributes(
                "{ .foo = `a` } | avg(duration) >= 10ms", TestTrace.of(
                        span("A").attr("foo", "a").duration(Duration.ofMillis(5)),
                        span("B").attr("foo", "a").duration(Duration.ofMillis(15)))));
        assertEquals(NO_MATCH, run("{ .foo = `a` } | avg(duration) >= 10ms",
                span("A").attr("foo", "a").duration(Duration.ofMillis(2)),
                span("B").attr("foo", "a").duration(Duration.ofMillis(8))));
    }

    @Test
    void groupByWithoutAggregate() {
        assertEquals(List.of("A {by(.foo)=\"a\"}", "B,C {by(.foo)=\"b\"}"), Queries.runWithAttributes("{ } | by(.foo)",
                TestTrace.of(span("A").attr("foo", "a"), span("B").attr("foo", "b"), span("C").attr("foo", "b"))));
    }

    @Test
    void chainedChildOperatorsNeedTheParentInTheSet() {
        assertEquals(NO_MATCH, run("{ } > { } > { } > { }", span("A").nested(2, 3, 1), span("B").nested(4, 5, 1)));
    }

    @Test
    void notParentWithEmptyLeftSideReturnsTheRightSide() {
        assertEquals(List.of("R"), run("{ span:name = `some-span-that-does-not-exist` } !< { span:name = `list-articles` }",
                span("R").name("list-articles").nested(1, 2, 0)));
    }

    @Test
    void arithmeticPrecedenceAndMixedTypes() {
        TestSpan a = span("A").attr("foo", 3).attr("bar", 7.0);
        assertEquals(List.of("A"), run("{ (2 - .bar) * .foo = -15}", a));
        assertEquals(List.of("A"), run("{ 2 - .bar * .foo = -19}", a));
        assertEquals(List.of("A"), run("{ .bar % 2 = .foo - 2 }", a));
        assertEquals(List.of("A"), run("{ .foo * 3ms = 3ms }", span("A").attr("foo", 1)));
    }

    @Test
    void constantArithmetic() {
        assertEquals(List.of("A"), run("{ 1 / 10 = 0 }", span("A")));
        assertEquals(List.of("A"), run("{ 1 / 10. = .1 }", span("A")));
        assertEquals(List.of("A"), run("{ 2m * 2 = 4m }", span("A")));
        assertEquals(NO_MATCH, run("{ 5.0 / 0.0 = 1.0 }", span("A")));
    }

    @Test
    void integerDivisionByZeroFailsTheQuery() {
        assertThrows(TraceQLRuntimeException.class, () -> run("{ 5 / 0 = 1 }", span("A")));
    }

    @Test
    void nilComparisons() {
        assertEquals(NO_MATCH, run("{ nil = nil }", span("A").attr("float", 2.0)));
        assertEquals(NO_MATCH, run("{ .foo != nil }", span("A").attr("bar", "bzz")));
        assertEquals(List.of("A"), run("{ .int != nil }", span("A").attr("int", 1)));
    }

    @Test
    void integerPowerIsMathematical() {
        // Tempo 3.0.3 computes rhs^lhs here (9) and returns no match; the engine implements 2^3 = 8.
        assertEquals(List.of("A"), run("{ 2 ^ 3 = 8 }", span("A")));
    }
}
