package io.vivace.common.block;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.model.TraceId;

/** One whole trace: every span of {@code id}, grouped by resource and scope. One block row. */
public record TraceRecord(TraceId id, TracesData trace) {
}
