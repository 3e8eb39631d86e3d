package io.vivace.distributor.receiver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * The one message of a unary gRPC request body ({@code [compressed flag][length uint32][message]}), as a range of an
 * array: the body's own array when the message is not compressed, a new array when it was gzipped.
 */
record GrpcFrame(byte[] bytes, int offset, int length) {

    private static final int PREFIX_BYTES = 5;

    static final class InvalidFrameException extends Exception {
        InvalidFrameException(String message) {
            super(message);
        }
    }

    static final class TooLargeException extends Exception {
        TooLargeException() {
            super(null, null, false, false);
        }
    }

    static GrpcFrame parse(byte[] body, GrpcEncoding encoding, int maxMessageBytes) throws InvalidFrameException, TooLargeException {
        return parse(body, 0, body.length, encoding, maxMessageBytes);
    }

    /** Parses the body held in {@code bytes[offset, offset + length)}. */
    static GrpcFrame parse(byte[] bytes, int offset, int length, GrpcEncoding encoding, int maxMessageBytes)
            throws InvalidFrameException, TooLargeException {
        if (length < PREFIX_BYTES) {
            throw new InvalidFrameException("gRPC request body of " + length + " bytes has no complete 5-byte message prefix");
        }
        int flag = bytes[offset];
        long messageLength = ((bytes[offset + 1] & 0xffL) << 24) | ((bytes[offset + 2] & 0xff) << 16)
                | ((bytes[offset + 3] & 0xff) << 8) | (bytes[offset + 4] & 0xff);
        if (messageLength > maxMessageBytes) {
            throw new TooLargeException();
        }
        if (length != PREFIX_BYTES + messageLength) {
            throw new InvalidFrameException("gRPC request body must hold exactly one message of " + messageLength + " bytes, but has "
                    + (length - PREFIX_BYTES) + " bytes after the prefix");
        }
        return switch (flag) {
            case 0 -> new GrpcFrame(bytes, offset + PREFIX_BYTES, (int) messageLength);
            case 1 -> switch (encoding) {
                case GZIP -> gunzip(bytes, offset + PREFIX_BYTES, (int) messageLength, maxMessageBytes);
                case IDENTITY, UNSUPPORTED -> throw new InvalidFrameException("gRPC message is marked compressed but the request has no grpc-encoding");
            };
            default -> throw new InvalidFrameException("gRPC message prefix has an invalid compressed flag " + flag);
        };
    }

    private static GrpcFrame gunzip(byte[] bytes, int offset, int length, int maxMessageBytes)
            throws InvalidFrameException, TooLargeException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes, offset, length))) {
            byte[] message = in.readNBytes(maxMessageBytes);
            if (in.read() != -1) {
                throw new TooLargeException();
            }
            return new GrpcFrame(message, 0, message.length);
        } catch (IOException e) {
            throw new InvalidFrameException("gRPC message is not valid gzip: " + e.getMessage());
        }
    }
}
