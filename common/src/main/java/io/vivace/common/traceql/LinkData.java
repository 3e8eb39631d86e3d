package io.vivace.common.traceql;

/** A span link: {@code link:traceID}, {@code link:spanID} and {@code link.*} attributes. */
public interface LinkData {

    /** Linked trace ID as lowercase hex. */
    String traceId();

    /** Linked span ID as lowercase hex. */
    String spanId();

    /** The link attribute, {@link Value#NIL} when absent. */
    Value attribute(String name);
}
