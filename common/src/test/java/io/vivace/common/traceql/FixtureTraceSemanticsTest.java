package io.vivace.common.traceql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code cases_T} of reference §3.3, run on the in-memory trace T. */
class FixtureTraceSemanticsTest {

    private static final List<String> NO_MATCH = List.of();

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("{ .parent } >> { .child }", List.of("S1")),
                Arguments.of("{ .child } << { .parent }", List.of("S2")),
                Arguments.of("{ .parent } > { .child }", List.of("S1")),
                Arguments.of("{ .child } < { .parent }", List.of("S2")),
                Arguments.of("{ .child } !> { .parent }", List.of("S2")),
                Arguments.of("{ .child } !>> { .parent }", List.of("S2")),
                Arguments.of("{ .child } !~ { .parent }", List.of("S2")),
                Arguments.of("{ .parent } !< { .child }", List.of("S1")),
                Arguments.of("{ .parent } &>> { .child }", List.of("S1,S2")),
                Arguments.of("{ .child } &<< { .parent }", List.of("S1,S2")),
                Arguments.of("{ .parent } &> { .child }", List.of("S1,S2")),
                Arguments.of("{ .child } ~ { .child2 }", List.of("S3")),
                Arguments.of("{ .child } &~ { .child2 }", List.of("S1,S3")),
                Arguments.of("{ .parent } >> {}", List.of("S1,S3")),
                Arguments.of("{} >> { span.foo != `baz` }", List.of("S1")),
                Arguments.of("{  } !~ {  }", List.of("S2")),
                Arguments.of("{ name = `does-not-exist` } !< { name = `MySpan` }", List.of("S1")),
                Arguments.of("{ name = `does-not-exist` } !> { name = `MySpan` }", List.of("S1")),
                Arguments.of("{ nestedSetParent = -1 } | select(name)", List.of("S2")),
                Arguments.of("{nestedSetParent = -1} > {} | select(name)", List.of("S1,S3")),
                Arguments.of("{} | by(resource.service.name) | count() = 1", List.of("S1", "S2", "S3", "S4")),
                Arguments.of("{} | count() = 4", List.of("S1,S2,S3,S4")),
                Arguments.of("{ true } && { true } | count() = 4", List.of("S1,S2,S3,S4")),
                Arguments.of("{ span.foo != nil }", List.of("S1,S2")),
                Arguments.of("{ duration != nil }", List.of("S1,S2,S3,S4")),
                Arguments.of("{ .numericString > `` }", List.of("S1")),
                Arguments.of("{ event.exception.message = `random error` }", List.of("S1")),
                Arguments.of("{ event:timeSinceStart > 10ms }", List.of("S1")),
                Arguments.of("{ link.relation = `child-of` }", List.of("S1")),
                Arguments.of("{ instrumentation.scope-attr-str = `scope-attr-1` }", List.of("S1")),
                Arguments.of("{ resource.cluster = \"MyCluster\" && span.foo = \"Bar\" }", List.of("S1")),
                Arguments.of("{ resource.service.name = \"RootService\" } && { status = error }", List.of("S1,S2")),
                Arguments.of("{ traceDuration = 2000ms && rootName = `RootSpan` }", List.of("S1,S2,S3,S4")),
                // no match on T
                Arguments.of("{ .child } >> { .parent }", NO_MATCH),
                Arguments.of("{ .child } ~ { .child }", NO_MATCH),
                Arguments.of("{ .broken} >> {}", NO_MATCH),
                Arguments.of("{} ~ {.broken}", NO_MATCH),
                Arguments.of("{ .parent } !> { .child }", NO_MATCH),
                Arguments.of("{ .child } &~ { .parent }", NO_MATCH),
                Arguments.of("{} >> { span.does-not-exist != `bar`}", NO_MATCH),
                Arguments.of("{} | by(span.foo) | count() = 1", NO_MATCH),
                Arguments.of("{} | count() > 4", NO_MATCH),
                Arguments.of("{ } | avg(.dne) != 0", NO_MATCH),
                Arguments.of("{ } | sum(duration) < 0", NO_MATCH),
                Arguments.of("{ .not_an_attribute != nil }", NO_MATCH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void caseOnTraceT(String query, List<String> expected) {
        assertEquals(expected, Queries.run(query, FixtureT.trace()));
    }

    @Test
    void groupByKeepsNilAsItsOwnGroupAndAttachesValues() {
        assertEquals(List.of("S1,S2 {by(span.foo)=\"Bar\", count()=2}", "S3,S4 {by(span.foo)=nil, count()=2}"),
                Queries.runWithAttributes("{} | by(span.foo) | count() = 2", FixtureT.trace()));
    }

    @Test
    void fixtureNestedSetNumbersAreWhatTheNumberingComputes() {
        TestTrace t = FixtureT.trace();
        List<NestedSetNumbering.Numbers> numbers = NestedSetNumbering.number(t.spans().stream()
                .map(s -> new NestedSetNumbering.Node(s.spanId(), s.parentSpanId(), s.kind())).toList());
        for (int i = 0; i < numbers.size(); i++) {
            TestSpan s = t.spans().get(i);
            assertEquals(new NestedSetNumbering.Numbers(s.nestedSetLeft(), s.nestedSetRight(), s.nestedSetParent()),
                    numbers.get(i), s.label);
        }
    }

    @Test
    void resultSpansCarryTheAttributesTheQueryReadsOrSelects() {
        TraceMatch m = new SearchEngine(Queries.parse("{ status = error } | select(resource.cluster, span.missing)"))
                .evaluate(FixtureT.trace()).orElseThrow();
        MatchedSpan s1 = m.spansets().getFirst().spans().getFirst();
        assertEquals(List.of(new LoadedAttribute(Attribute.of(Intrinsic.STATUS), Value.of(StatusCode.ERROR)),
                new LoadedAttribute(Attribute.resource("cluster"), Value.of("MyCluster"))), s1.attributes());
        assertEquals(List.of("status", "cluster"), s1.attributes().stream().map(LoadedAttribute::key).toList());
    }
}
