package io.vivace.common.traceql;

import java.util.List;

/** Stages joined by {@code |}; each maps the spansets produced by the previous one. */
public record Pipeline(List<PipelineElement> elements) implements SpansetExpr {

    public Pipeline {
        elements = List.copyOf(elements);
        if (elements.isEmpty()) {
            throw new IllegalArgumentException("empty pipeline");
        }
    }

    @Override
    public String toString() {
        return QueryPrinter.spanset(this);
    }
}
