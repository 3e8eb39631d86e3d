package io.vivace.distributor.otlp;

/** The export request cannot be accepted as sent; the message says what is wrong (400 / INVALID_ARGUMENT). */
public final class InvalidOtlpException extends Exception {
    public InvalidOtlpException(String message) {
        super(message, null, false, false);
    }
}
