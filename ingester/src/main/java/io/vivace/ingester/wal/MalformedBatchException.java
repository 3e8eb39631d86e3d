package io.vivace.ingester.wal;

/** Bytes handed to {@link IngestBatchCodec#decode(byte[])} are not an encoded {@code IngestBatch}. */
public final class MalformedBatchException extends IllegalArgumentException {

    public MalformedBatchException(String message) {
        super(message);
    }
}
