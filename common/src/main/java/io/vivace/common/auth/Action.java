package io.vivace.common.auth;

/**
 * What a request does to a tenant's data. Classified by route, never by HTTP method: every OTLP export is a
 * {@link #WRITE}, every query-API call (gRPC streaming queries included, although they are POSTs) a {@link #READ}.
 */
public enum Action {
    READ,
    WRITE;

    /** The label used in metrics and configuration. */
    public String label() {
        return this == READ ? "read" : "write";
    }
}
