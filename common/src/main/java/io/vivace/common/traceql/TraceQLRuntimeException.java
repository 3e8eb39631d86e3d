package io.vivace.common.traceql;

/**
 * A query failed while running on data: integer division by zero, arithmetic on an array, a structural operator
 * given several spansets. Tempo aborts the whole query in these cases, and so does the engine.
 */
public final class TraceQLRuntimeException extends RuntimeException {

    public TraceQLRuntimeException(String message) {
        super(message);
    }
}
