package io.vivace.common.traceql;

/** Stages after the metrics function, applied to the finished series left to right. */
public sealed interface MetricsSecondStage {

    /** {@code | topk(k)} or {@code | bottomk(k)}. */
    record TopK(boolean bottom, int k) implements MetricsSecondStage {
    }

    /** {@code > 10}, {@code <= 1s} ...: points failing the test are removed; durations are in seconds. */
    record Filter(Operator op, double value) implements MetricsSecondStage {
    }
}
