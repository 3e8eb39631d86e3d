package io.vivace.common.traceql;

import java.util.List;
import java.util.stream.Collectors;

/** {@code select(a, b, ...)}: returns these attributes with every result span; no effect on matching. */
public record Select(List<Attribute> attributes) implements PipelineElement {

    public Select {
        attributes = List.copyOf(attributes);
    }

    @Override
    public String toString() {
        return attributes.stream().map(Attribute::toString).collect(Collectors.joining(", ", "select(", ")"));
    }
}
