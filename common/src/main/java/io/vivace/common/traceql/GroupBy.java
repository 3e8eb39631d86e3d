package io.vivace.common.traceql;

/** {@code by(expr)}: splits each spanset into one spanset per distinct value of {@code expr}. */
public record GroupBy(FieldExpr expr) implements PipelineElement {

    @Override
    public String toString() {
        return "by(" + QueryPrinter.field(expr) + ")";
    }
}
