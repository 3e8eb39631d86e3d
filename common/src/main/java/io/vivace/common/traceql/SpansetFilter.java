package io.vivace.common.traceql;

/** {@code { expr }}: keeps the spans for which {@code expr} is {@code true}; {@code {}} holds {@code true}. */
public record SpansetFilter(FieldExpr expr) implements SpansetExpr {

    @Override
    public String toString() {
        return QueryPrinter.spanset(this);
    }
}
