package io.vivace.common.traceql;

/** Something that maps a spanset to spansets: a filter, an operation between two of these, or a pipeline. */
public sealed interface SpansetExpr extends PipelineElement permits SpansetFilter, SpansetOperation, Pipeline {
}
