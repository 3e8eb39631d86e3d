package io.vivace.common.auth;

/** A call to the Kubernetes API server (or a key-set endpoint) did not produce a usable answer. */
public final class KubernetesApiException extends Exception {

    private final int status;

    /** {@code status} is the HTTP status received, or 0 when no answer arrived (connection, timeout). */
    public KubernetesApiException(String message, int status, Throwable cause) {
        super(message, cause, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
