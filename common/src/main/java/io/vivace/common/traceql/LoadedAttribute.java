package io.vivace.common.traceql;

/** An attribute value returned with a result span. */
public record LoadedAttribute(Attribute attribute, Value value) {

    /**
     * The key Tempo uses in search results: the attribute name without scope ({@code http.method},
     * {@code service.name}), or the intrinsic's name ({@code status}, {@code kind}, {@code nestedSetLeft}).
     */
    public String key() {
        return attribute.name();
    }
}
