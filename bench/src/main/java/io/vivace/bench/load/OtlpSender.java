package io.vivace.bench.load;

import com.linecorp.armeria.client.UnprocessedRequestException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Sends one OTLP export request; the future never fails, errors are reported in the outcome. */
interface OtlpSender {

    /** Sends a serialized {@code ExportTraceServiceRequest}. */
    CompletableFuture<Outcome> send(byte[] exportRequest);

    /** {@code errorKey} is null on success, else a short stable key such as {@code grpc:UNAVAILABLE} or {@code http:429}. */
    record Outcome(String errorKey, String detail) {
        static final Outcome OK = new Outcome(null, null);

        boolean ok() {
            return errorKey == null;
        }
    }

    /** An outcome for a failure that is not a protocol status (connection refused, timeout, ...). */
    static Outcome failure(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException
            || c instanceof UnprocessedRequestException) && c.getCause() != null) {
            c = c.getCause();
        }
        return new Outcome("error:" + c.getClass().getSimpleName(), String.valueOf(c.getMessage()));
    }
}
