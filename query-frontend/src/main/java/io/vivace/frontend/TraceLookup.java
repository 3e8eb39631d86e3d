package io.vivace.frontend;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.model.TraceCombiner;
import io.vivace.common.query.TraceByIdSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Asks the recent-data source and the backend for every part of a trace, for each tenant, and combines them. */
final class TraceLookup {

    record Result(TracesData trace, long inspectedBytes) {
    }

    private final TraceByIdSource recent;
    private final TraceByIdSource blocks;

    TraceLookup(TraceByIdSource recent, TraceByIdSource blocks) {
        this.recent = recent;
        this.blocks = blocks;
    }

    CompletableFuture<Result> find(List<String> tenants, TraceByIdRequest request) {
        List<CompletableFuture<List<TracesData>>> jobs = new ArrayList<>();
        for (String tenant : tenants) {
            if (request.readsRecent()) {
                jobs.add(recent.findTraceById(tenant, request.traceId(), request.startSeconds(), request.endSeconds()));
            }
            if (request.readsBlocks()) {
                jobs.add(blocks.findTraceById(tenant, request.traceId(), request.startSeconds(), request.endSeconds()));
            }
        }
        return CompletableFuture.allOf(jobs.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<TracesData> parts = new ArrayList<>();
            long inspected = 0;
            for (CompletableFuture<List<TracesData>> job : jobs) {
                for (TracesData part : job.join()) {
                    parts.add(part);
                    inspected += part.getSerializedSize();
                }
            }
            TracesData trace = parts.isEmpty() ? TracesData.getDefaultInstance() : TraceCombiner.combine(parts);
            return new Result(trace, inspected);
        });
    }
}
