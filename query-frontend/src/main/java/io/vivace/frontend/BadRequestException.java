package io.vivace.frontend;

/** A query parameter or header is unusable; answered with 400 and this message. */
final class BadRequestException extends Exception {
    BadRequestException(String message) {
        super(message, null, false, false);
    }
}
