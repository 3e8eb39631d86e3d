package io.vivace.common.traceql;

/** {@code lhs op rhs} with a comparison operator; supported only as {@code aggregate op literal}. */
public record ScalarFilter(Operator op, ScalarExpr lhs, ScalarExpr rhs) implements PipelineElement {

    @Override
    public String toString() {
        return QueryPrinter.scalar(lhs) + " " + op.symbol() + " " + QueryPrinter.scalar(rhs);
    }
}
