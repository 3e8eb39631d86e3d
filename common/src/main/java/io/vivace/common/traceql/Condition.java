package io.vivace.common.traceql;

import java.util.List;

/**
 * One column test a storage layer can apply before the engine runs: {@code attribute op operands}, with the
 * attribute on the left ({@code 5 < span.x} is reported as {@code span.x > 5}).
 *
 * <p>A condition holds for a span with the engine's semantics (reference §2.5): numbers compare across int, float
 * and duration; a missing attribute fails every test but {@link ConditionOp#ABSENT}; an array attribute passes when
 * some element passes ({@code NEQ} and {@code NOT_REGEX}: when no element equals or matches the operand); an
 * unscoped attribute is the span attribute, else the resource attribute; an {@code event.}/{@code link.}
 * condition holds when some event/link of the span passes; a trace-level intrinsic holds for every span of a trace
 * that passes. A storage layer that cannot test exactly should test loosely (keep more), never strictly.
 */
public record Condition(Attribute attribute, ConditionOp op, List<Value> operands) {

    public Condition {
        operands = List.copyOf(operands);
    }

    static Condition none(Attribute attribute) {
        return new Condition(attribute, ConditionOp.NONE, List.of());
    }

    public boolean filters() {
        return op != ConditionOp.NONE;
    }

    @Override
    public String toString() {
        return attribute + " " + op + (operands.isEmpty() ? "" : " " + operands);
    }
}
