package io.vivace.common.ingest;

import io.vivace.common.model.TraceId;

/**
 * The spans of one trace taken from one export request, encoded as an OTLP {@code TracesData} message
 * (resource and scope kept). Fragments of the same trace concatenate into a valid {@code TracesData}.
 */
public record TraceFragment(TraceId traceId, byte[] tracesData, int spanCount, long startNanos, long endNanos) {
}
