package io.vivace.distributor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vivace.common.ingest.IngestBatch;
import io.vivace.common.ingest.IngestRejectedException;
import io.vivace.common.ingest.TraceIngest;
import io.vivace.common.limits.IngestionRateLimiter;
import io.vivace.common.limits.Overrides;
import io.vivace.common.limits.TenantLimits;
import io.vivace.distributor.otlp.AttributeTruncator;
import io.vivace.distributor.otlp.InvalidOtlpException;
import io.vivace.distributor.otlp.OtlpTraceSplitter;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Takes a tenant's encoded OTLP export request, validates it, applies the tenant's limits (ingestion rate and burst:
 * refused as {@code RATE_LIMITED}; attribute keys and values over {@code max_attribute_bytes}: truncated and
 * counted), regroups its spans by trace and hands the batch to the ingest path. The returned future completes when
 * the batch is durable.
 */
public final class Distributor {

    private final TraceIngest ingest;
    private final MeterRegistry metrics;
    private final Timer pushLatency;
    private final Overrides overrides;
    private final IngestionRateLimiter rateLimiter;

    /** With the default limits for every tenant. */
    public Distributor(TraceIngest ingest, MeterRegistry metrics) {
        this(ingest, metrics, Overrides.fixed(TenantLimits.defaults()), System::nanoTime);
    }

    public Distributor(TraceIngest ingest, MeterRegistry metrics, Overrides overrides, LongSupplier nanoTime) {
        this.ingest = ingest;
        this.metrics = metrics;
        this.overrides = overrides;
        this.rateLimiter = new IngestionRateLimiter(nanoTime);
        this.pushLatency = Timer.builder("vivace_distributor_push_duration").description("Time from receipt to durable acknowledgement")
                .publishPercentileHistogram().register(metrics);
    }

    public CompletableFuture<Void> push(String tenant, byte[] request) {
        return push(tenant, request, 0, request.length);
    }

    /**
     * Pushes the export request held in {@code buffer[offset, offset + length)}. The buffer is read only during this
     * call (the batch holds copies), so the caller may reuse it as soon as the call returns.
     */
    public CompletableFuture<Void> push(String tenant, byte[] buffer, int offset, int length) {
        long startNanos = System.nanoTime();
        OtlpTraceSplitter.Split split;
        try {
            split = OtlpTraceSplitter.split(buffer, offset, length);
        } catch (InvalidOtlpException e) {
            refused(tenant, "invalid_request", 0);
            return CompletableFuture.failedFuture(e);
        }
        TenantLimits limits = overrides.forTenant(tenant);
        Optional<String> rateLimited = rateLimiter.tryAcquire(tenant, length, limits);
        if (rateLimited.isPresent()) {
            refused(tenant, "rate_limited", split.spanCount());
            return CompletableFuture.failedFuture(new IngestRejectedException(IngestRejectedException.Reason.RATE_LIMITED, rateLimited.get()));
        }
        int maxAttribute = limits.maxAttributeBytes();
        if (maxAttribute > 0 && split.longestAttributeBytes() > maxAttribute) {
            try {
                AttributeTruncator.Result cut = AttributeTruncator.truncate(java.util.Arrays.copyOfRange(buffer, offset, offset + length), maxAttribute);
                split = OtlpTraceSplitter.split(cut.request());
                counter("vivace_distributor_attributes_truncated_total", tenant).increment(cut.values());
                Counter.builder("vivace_distributor_spans_truncated_total").description("Spans stored with cut attributes")
                        .tag("tenant", tenant).tag("reason", "attribute_too_large").register(metrics).increment(cut.spans());
            } catch (InvalidOtlpException e) {
                refused(tenant, "invalid_request", 0);
                return CompletableFuture.failedFuture(e);
            }
        }
        final OtlpTraceSplitter.Split admitted = split;
        IngestBatch batch = new IngestBatch(tenant, admitted.fragments(), admitted.spanCount(), length);
        return ingest.push(batch).whenComplete((ok, error) -> {
            if (error == null) {
                counter("vivace_distributor_spans_received_total", tenant).increment(admitted.spanCount());
                counter("vivace_distributor_bytes_received_total", tenant).increment(length);
                pushLatency.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
            } else {
                refused(tenant, reasonOf(error), admitted.spanCount());
            }
        });
    }

    /** Counts spans refused before they could be read (bad tenant, undecodable body). */
    public void refusedUnread(String tenant, String reason) {
        refused(tenant, reason, 0);
    }

    private void refused(String tenant, String reason, int spans) {
        Counter.builder("vivace_distributor_requests_refused_total").tag("tenant", tenant).tag("reason", reason)
                .register(metrics).increment();
        if (spans > 0) {
            Counter.builder("vivace_distributor_spans_refused_total").tag("tenant", tenant).tag("reason", reason)
                    .register(metrics).increment(spans);
        }
    }

    private Counter counter(String name, String tenant) {
        return Counter.builder(name).tag("tenant", tenant).register(metrics);
    }

    private static String reasonOf(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return e instanceof IngestRejectedException r ? r.reason().name().toLowerCase() : "internal";
    }
}
