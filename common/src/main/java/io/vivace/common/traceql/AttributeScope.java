package io.vivace.common.traceql;

/** Where an attribute or intrinsic lives. {@link #NONE} is the unscoped {@code .name} form (span, then resource). */
public enum AttributeScope {
    NONE(""),
    SPAN("span"),
    RESOURCE("resource"),
    EVENT("event"),
    LINK("link"),
    INSTRUMENTATION("instrumentation"),
    TRACE("trace");

    private final String keyword;

    AttributeScope(String keyword) {
        this.keyword = keyword;
    }

    /** The word written before {@code .} or {@code :} in a query ("" for unscoped). */
    public String keyword() {
        return keyword;
    }
}
