package io.vivace.common.ingest;

import java.util.List;

/** One tenant's share of an export request, grouped by trace: what the distributor hands to the ingest path. */
public record IngestBatch(String tenant, List<TraceFragment> fragments, int spanCount, long byteSize) {
}
