package io.vivace.common.ingest;

import java.util.concurrent.CompletableFuture;

/** The ingest path as the distributor sees it: in-process ingester in the single binary, Kafka later. */
public interface TraceIngest {

    /**
     * Accepts a batch; the future completes once the batch is durable (WAL append, fsync per policy),
     * and only then may the export be acknowledged. It fails with {@link IngestRejectedException} when refused.
     */
    CompletableFuture<Void> push(IngestBatch batch);
}
