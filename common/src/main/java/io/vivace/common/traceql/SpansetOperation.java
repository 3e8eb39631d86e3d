package io.vivace.common.traceql;

/** {@code lhs op rhs} where both sides run on the same input spanset. */
public record SpansetOperation(SpansetOp op, SpansetExpr lhs, SpansetExpr rhs) implements SpansetExpr {

    @Override
    public String toString() {
        return QueryPrinter.spanset(this);
    }
}
