package io.vivace.common.traceql;

/** A span event: {@code event:name}, {@code event:timeSinceStart} and {@code event.*} attributes. */
public interface EventData {

    String name();

    long timeUnixNanos();

    /** The event attribute, {@link Value#NIL} when absent. */
    Value attribute(String name);
}
