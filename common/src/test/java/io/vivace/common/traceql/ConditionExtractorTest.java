package io.vivace.common.traceql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConditionExtractorTest {

    private static FetchConditions of(String query) {
        return Queries.parse(query).fetchConditions();
    }

    private static Condition cond(Attribute a, ConditionOp op, Value... operands) {
        return new Condition(a, op, List.of(operands));
    }

    @Test
    void conjunctionRequiresEveryCondition() {
        FetchConditions c = of("{ span.http.status_code >= 500 && resource.service.name = \"api\" && status = error }");
        assertTrue(c.allConditions());
        assertEquals(List.of(
                cond(Attribute.span("http.status_code"), ConditionOp.GTE, Value.of(500L)),
                cond(Attribute.resource("service.name"), ConditionOp.EQ, Value.of("api")),
                cond(Attribute.of(Intrinsic.STATUS), ConditionOp.EQ, Value.of(StatusCode.ERROR))), c.conditions());
        assertFalse(c.matchesNothing());
    }

    @Test
    void literalOnTheLeftIsMirrored() {
        assertEquals(List.of(cond(Attribute.of(Intrinsic.DURATION), ConditionOp.GT, Value.ofDuration(1_000_000L))),
                of("{ 1ms < duration }").conditions());
    }

    @Test
    void disjunctionNeedsAnyCondition() {
        FetchConditions c = of("{ .attr = \"a\" || .attr = \"b\" }");
        assertFalse(c.allConditions());
        assertEquals(List.of(cond(Attribute.unscoped("attr"), ConditionOp.EQ, Value.of("a")),
                cond(Attribute.unscoped("attr"), ConditionOp.EQ, Value.of("b"))), c.filteringConditions());
    }

    @Test
    void existenceChecks() {
        assertEquals(List.of(cond(Attribute.span("foo"), ConditionOp.EXISTS),
                cond(Attribute.span("bar"), ConditionOp.ABSENT)),
                of("{ span.foo != nil && nil = span.bar }").conditions());
    }

    @Test
    void regexIsPushedWithItsPattern() {
        assertEquals(List.of(cond(Attribute.of(Intrinsic.NAME), ConditionOp.REGEX, Value.of("GET .*"))),
                of("{ name =~ \"GET .*\" }").conditions());
    }

    @Test
    void negationIsNeverPushed() {
        FetchConditions c = of("{ !(span.a = 1) }");
        assertEquals(List.of(Condition.none(Attribute.span("a"))), c.conditions());
        assertEquals(List.of(), c.filteringConditions());
    }

    @Test
    void attributeComparisonsAndArithmeticOnlyReadColumns() {
        FetchConditions c = of("{ .a = .b && span.c + 1 > 2 && span.d = 3 }");
        assertTrue(c.allConditions());
        assertEquals(List.of(Condition.none(Attribute.unscoped("a")), Condition.none(Attribute.unscoped("b")),
                Condition.none(Attribute.span("c")), cond(Attribute.span("d"), ConditionOp.EQ, Value.of(3L))),
                c.conditions());
    }

    @Test
    void uncoveredDisjunctDisablesFiltering() {
        // A span without span.a = 1 matches through the right side, so nothing can be skipped.
        FetchConditions c = of("{ span.a = 1 || !(span.b = 2) }");
        assertFalse(c.allConditions());
        assertEquals(List.of(), c.filteringConditions());
        assertEquals(List.of(Condition.none(Attribute.span("a")), Condition.none(Attribute.span("b"))), c.conditions());
    }

    @Test
    void spansetOperatorsAskForAnyCondition() {
        FetchConditions c = of("{ span.a = 1 } && { span.b = 2 }");
        assertFalse(c.allConditions());
        assertEquals(2, c.filteringConditions().size());
    }

    @Test
    void emptyFilterNextToAnotherSpansetNeedsEverySpan() {
        FetchConditions c = of("{ .parent } >> { }");
        assertEquals(List.of(), c.filteringConditions());
        assertTrue(c.conditions().contains(Condition.none(Attribute.of(Intrinsic.NESTED_SET_LEFT))));
        assertTrue(c.conditions().contains(Condition.none(Attribute.of(Intrinsic.NESTED_SET_PARENT))));
    }

    @Test
    void structuralOperatorsReadNestedSetColumns() {
        FetchConditions c = of("{ span.a = 1 } > { span.b = 2 }");
        assertEquals(List.of(Condition.none(Attribute.of(Intrinsic.NESTED_SET_LEFT)),
                Condition.none(Attribute.of(Intrinsic.NESTED_SET_RIGHT)),
                Condition.none(Attribute.of(Intrinsic.NESTED_SET_PARENT)),
                cond(Attribute.span("a"), ConditionOp.EQ, Value.of(1L)),
                cond(Attribute.span("b"), ConditionOp.EQ, Value.of(2L))), c.conditions());
    }

    @Test
    void aggregatesAndGroupsKeepTheirFilterButNotAll() {
        FetchConditions c = of("{ span.a = 1 } | by(resource.service.name) | avg(duration) > 1s");
        assertFalse(c.allConditions());
        assertEquals(List.of(cond(Attribute.span("a"), ConditionOp.EQ, Value.of(1L))), c.filteringConditions());
        assertTrue(c.conditions().contains(Condition.none(Attribute.resource("service.name"))));
        assertTrue(c.conditions().contains(Condition.none(Attribute.of(Intrinsic.DURATION))));
    }

    @Test
    void aggregateOverAllSpansNeedsEverySpan() {
        assertEquals(List.of(), of("count() > 1 | { span.a = 1 }").filteringConditions());
    }

    @Test
    void childCountNeedsTheWholeTrace() {
        assertEquals(List.of(), of("{ span:childCount > 2 && span.a = 1 }").filteringConditions());
    }

    @Test
    void selectedAttributesAreLoadedForResultsOnly() {
        FetchConditions c = of("{ span.a = 1 } | select(span.b, resource.c)");
        assertTrue(c.allConditions());
        assertEquals(Set.of(Attribute.span("b"), Attribute.resource("c")), c.resultAttributes());
        assertEquals(1, c.conditions().size());
    }

    @Test
    void metricsGroupingIsLoadedForResults() {
        FetchConditions c = of("{ status = error } | quantile_over_time(duration, .9) by (resource.service.name)");
        assertEquals(Set.of(Attribute.of(Intrinsic.DURATION), Attribute.resource("service.name")), c.resultAttributes());
        assertEquals(List.of(cond(Attribute.of(Intrinsic.STATUS), ConditionOp.EQ, Value.of(StatusCode.ERROR))),
                c.conditions());
    }

    @Test
    void traceIdLiteralLosesLeadingZeros() {
        assertEquals(List.of(cond(Attribute.of(Intrinsic.TRACE_ID), ConditionOp.EQ, Value.of("abc"))),
                of("{ trace:id = \"000ABC\" }").conditions());
    }

    @Test
    void constantFalseMatchesNothing() {
        assertTrue(of("{ false }").matchesNothing());
        assertTrue(of("{ 1 = 2 } | count() > 1").matchesNothing());
        assertFalse(of("{ false } || { .a = 1 }").matchesNothing());
        assertTrue(of("{ false } && { .a = 1 }").matchesNothing());
        assertFalse(of("{ false } !> { .a = 1 }").matchesNothing());
    }

    @Test
    void duplicatesAreMerged() {
        assertEquals(1, of("{ span.a = 1 } | { span.a = 1 }").conditions().size());
    }

    private static List<FetchConditions.SpanRequirement> required(String query) {
        return of(query).traceRequirements();
    }

    private static FetchConditions.SpanRequirement requirement(int minSpans, Condition... conditions) {
        return new FetchConditions.SpanRequirement(List.of(conditions), minSpans);
    }

    @Test
    void bothSidesOfAndAndOfAStructuralOperatorAreRequiredOfTheTrace() {
        Condition a = cond(Attribute.resource("service.name"), ConditionOp.EQ, Value.of("a"));
        Condition err = cond(Attribute.of(Intrinsic.STATUS), ConditionOp.EQ, Value.of(StatusCode.ERROR));
        Condition slow = cond(Attribute.of(Intrinsic.DURATION), ConditionOp.GT, Value.ofDuration(1_000_000L));
        assertEquals(List.of(requirement(1, a), requirement(1, err, slow)),
                required("{ resource.service.name = \"a\" } && { status = error && duration > 1ms }"));
        assertEquals(List.of(requirement(1, a), requirement(1, err)), required("{ resource.service.name = \"a\" } >> { status = error }"));
        assertEquals(List.of(requirement(1, a), requirement(1, err)), required("{ resource.service.name = \"a\" } &~ { status = error }"));
        // A negated operator's left side may be empty.
        assertEquals(List.of(requirement(1, err)), required("{ resource.service.name = \"a\" } !>> { status = error }"));
        // Pipelines on either side: each one's first stage.
        Condition one = cond(Attribute.unscoped("a"), ConditionOp.EQ, Value.of(1L));
        assertEquals(List.of(requirement(3, err), requirement(1, one)),
                required("({ status = error } | count() > 2) && ({ .a = 1 } | count() > 0)"));
    }

    @Test
    void countNeedsThatManySpans() {
        Condition err = cond(Attribute.of(Intrinsic.STATUS), ConditionOp.EQ, Value.of(StatusCode.ERROR));
        assertEquals(List.of(requirement(3, err)), required("{ status = error } | count() > 2"));
        assertEquals(List.of(requirement(2, err)), required("{ status = error } | count() >= 2"));
        assertEquals(List.of(requirement(1, err)), required("{ status = error } | count() < 2"));
        // count() per by() group still needs that many spans passing the filter, but only the direct form is used.
        assertEquals(List.of(requirement(1, err)), required("{ status = error } | by(name) | count() > 2"));
    }

    @Test
    void nothingIsRequiredOfEitherSideOfOrNorThroughNegationOrSeveralSpansets() {
        assertEquals(List.of(), required("{ status = error } || { .a = 1 }"));
        assertEquals(List.of(), required("{ .a = 1 || .b = 2 }"));
        assertEquals(List.of(), required("{ !(.a = 1) }"));
        assertEquals(List.of(), of("{ span:childCount > 1 } && { .a = 1 }").traceRequirements());
    }
}
