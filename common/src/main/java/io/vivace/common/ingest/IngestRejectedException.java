package io.vivace.common.ingest;

/** The ingest path refused a batch; {@link #reason()} says why in the words of {@code /metrics} labels. */
public final class IngestRejectedException extends RuntimeException {

    public enum Reason { RATE_LIMITED, UNAVAILABLE, INTERNAL }

    private final Reason reason;

    public IngestRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
