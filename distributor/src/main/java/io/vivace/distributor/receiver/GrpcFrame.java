package io.vivace.distributor.receiver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * The one message of a unary gRPC request body ({@code [compressed flag][length uint32][message]}), as a range of an
 * array: the body itself when the message is not compressed, a new array when it was gzipped.
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
        if (body.length < PREFIX_BYTES) {
            throw new InvalidFrameException("gRPC request body of " + body.length + " bytes has no complete 5-byte message prefix");
        }
        int flag = body[0];
        long length = ((body[1] & 0xffL) << 24) | ((body[2] & 0xff) << 16) | ((body[3] & 0xff) << 8) | (body[4] & 0xff);
        if (length > maxMessageBytes) {
            throw new TooLargeException();
        }
        if (body.length != PREFIX_BYTES + length) {
            throw new InvalidFrameException("gRPC request body must hold exactly one message of " + length + " bytes, but has "
                    + (body.length - PREFIX_BYTES) + " bytes after the prefix");
        }
        return switch (flag) {
            case 0 -> new GrpcFrame(body, PREFIX_BYTES, (int) length);
            case 1 -> switch (encoding) {
                case GZIP -> gunzip(body, (int) length, maxMessageBytes);
                case IDENTITY, UNSUPPORTED -> throw new InvalidFrameException("gRPC message is marked compressed but the request has no grpc-encoding");
            };
            default -> throw new InvalidFrameException("gRPC message prefix has an invalid compressed flag " + flag);
        };
    }

    private static GrpcFrame gunzip(byte[] body, int length, int maxMessageBytes) throws InvalidFrameException, TooLargeException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body, PREFIX_BYTES, length))) {
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
