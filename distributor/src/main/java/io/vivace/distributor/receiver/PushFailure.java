package io.vivace.distributor.receiver;

import io.vivace.common.ingest.IngestRejectedException;
import io.vivace.common.tenant.TenantException;
import io.vivace.distributor.otlp.InvalidOtlpException;
import java.util.concurrent.CompletionException;

/** Why an export failed, in the terms both receivers translate: an HTTP status and a gRPC code. */
public record PushFailure(int httpStatus, io.grpc.Status.Code grpcCode, String message, boolean retryAfter) {

    public static final int RETRY_AFTER_SECONDS = 5;

    public static PushFailure of(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof InvalidOtlpException) {
            return new PushFailure(400, io.grpc.Status.Code.INVALID_ARGUMENT, e.getMessage(), false);
        }
        if (e instanceof TenantException t) {
            return t.kind() == TenantException.Kind.MISSING
                    ? new PushFailure(401, io.grpc.Status.Code.UNAUTHENTICATED, e.getMessage(), false)
                    : new PushFailure(400, io.grpc.Status.Code.INVALID_ARGUMENT, e.getMessage(), false);
        }
        if (e instanceof IngestRejectedException r) {
            return switch (r.reason()) {
                case RATE_LIMITED -> new PushFailure(429, io.grpc.Status.Code.RESOURCE_EXHAUSTED, e.getMessage(), true);
                case UNAVAILABLE, INTERNAL -> new PushFailure(503, io.grpc.Status.Code.UNAVAILABLE, e.getMessage(), true);
            };
        }
        return new PushFailure(503, io.grpc.Status.Code.UNAVAILABLE, "ingest failed: " + e.getMessage(), true);
    }
}
