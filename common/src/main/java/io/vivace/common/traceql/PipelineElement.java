package io.vivace.common.traceql;

/** One stage of a spanset pipeline ({@code a | b | c}). */
public sealed interface PipelineElement permits SpansetExpr, ScalarFilter, GroupBy, Coalesce, Select {
}
