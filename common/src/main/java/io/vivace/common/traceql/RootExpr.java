package io.vivace.common.traceql;

import java.util.List;

/** What a whole query asks for. */
public sealed interface RootExpr permits RootExpr.Search, RootExpr.Metrics, RootExpr.ScalarPipeline {

    /**
     * A search: a {@link Pipeline}, or a {@link SpansetOperation} whose leaves are pipelines (the
     * {@code (P1) && (P2)} form).
     */
    record Search(SpansetExpr expr) implements RootExpr {
    }

    /** {@code pipeline | function(...) [by(...)] [second stage ...]}. */
    record Metrics(Pipeline pipeline, MetricsFunction function, List<MetricsSecondStage> secondStage) implements RootExpr {
        public Metrics {
            secondStage = List.copyOf(secondStage);
        }
    }

    /** {@code (P | count()) op ...}: parses, but Tempo 3.0 (and this engine) reject it as unsupported. */
    record ScalarPipeline(ScalarFilter filter) implements RootExpr {
    }
}
