package io.vivace.querier;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.block.BackendBlock;
import io.vivace.common.model.TraceId;
import io.vivace.common.query.TraceByIdSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** Trace by ID over the backend blocks of the blocklist, one job per block whose time range fits. */
public final class BackendTraceFinder implements TraceByIdSource {

    private final Blocklist blocklist;
    private final Executor executor;

    public BackendTraceFinder(Blocklist blocklist, Executor executor) {
        this.blocklist = blocklist;
        this.executor = executor;
    }

    @Override
    public CompletableFuture<List<TracesData>> findTraceById(String tenant, TraceId id, long startSeconds, long endSeconds) {
        List<CompletableFuture<Optional<TracesData>>> jobs = new ArrayList<>();
        for (BackendBlock block : blocklist.blocks(tenant)) {
            if (block.meta().overlapsSeconds(startSeconds, endSeconds)) {
                jobs.add(CompletableFuture.supplyAsync(() -> find(block, id), executor));
            }
        }
        return CompletableFuture.allOf(jobs.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<TracesData> parts = new ArrayList<>();
            jobs.forEach(j -> j.join().ifPresent(parts::add));
            return parts;
        });
    }

    private static Optional<TracesData> find(BackendBlock block, TraceId id) {
        try {
            return block.findTraceById(id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
