package io.vivace.frontend;

import io.vivace.common.proto.tempopb.SearchResponse;
import io.vivace.common.query.TraceScanSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Runs a search or tag query for each tenant: recent data first, then backend blocks newest first, stopping as soon as
 * {@code limit} traces are found or the caller went away.
 */
final class SearchRunner {

    private final TraceScanSource recent;
    private final TraceScanSource blocks;
    private final Executor executor;

    SearchRunner(TraceScanSource recent, TraceScanSource blocks, Executor executor) {
        this.recent = recent;
        this.blocks = blocks;
        this.executor = executor;
    }

    CompletableFuture<SearchResponse> search(List<String> tenants, SearchQuery query, SearchCollector collector) {
        return run(tenants, query.range(), collector).thenApply(v -> collector.result());
    }

    CompletableFuture<Void> run(List<String> tenants, SearchQuery.QueryRange range, ScanJob collector) {
        return CompletableFuture.runAsync(() -> {
            try {
                for (String tenant : tenants) {
                    if (collector.done()) {
                        break;
                    }
                    collector.jobStarted();
                    recent.scan(tenant, range.recent(), collector.visitor(range.recent()));
                    collector.jobCompleted();
                    if (collector.done()) {
                        break;
                    }
                    blocks.scan(tenant, range.blocks(), collector.visitor(range.blocks()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, executor);
    }
}
