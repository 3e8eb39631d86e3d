package io.vivace.ingester.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Frames records into the current segment and rotates segments. Used by the WAL's writer thread only.
 *
 * <p>Records are copied into one direct staging buffer and written from there, so a group of records
 * costs one {@code write} per {@value #STAGING_BYTES} bytes. This is the gathering write with a bounded
 * cost: handing the JDK an array of heap buffers instead makes it copy each into a temporary direct
 * buffer that it then caches per thread (up to 1024 of them, none released), which for large payloads
 * pins a lot of native memory.
 */
final class SegmentWriter implements AutoCloseable {

    static final int STAGING_BYTES = 4 << 20;

    private final Path dir;
    private final long segmentBytes;
    private final boolean syncFileCreation;
    private final FileSyncer syncer;
    private final WalMetrics metrics;
    private final ByteBuffer staging = ByteBuffer.allocateDirect(STAGING_BYTES);
    private final CRC32C crc = new CRC32C();

    private FileChannel channel;
    private long segment;
    /** Bytes of the current segment, staged ones included. */
    private long size;
    /** Bytes staged or written since the last sync. */
    private boolean unsynced;

    /** Creates segment {@code firstSegment}, which must not exist yet. */
    SegmentWriter(Path dir, long firstSegment, long segmentBytes, FsyncPolicy policy, FileSyncer syncer,
                  WalMetrics metrics) throws IOException {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.syncFileCreation = policy != FsyncPolicy.NEVER;
        this.syncer = syncer;
        this.metrics = metrics;
        openSegment(firstSegment);
    }

    long segment() {
        return segment;
    }

    boolean unsynced() {
        return unsynced;
    }

    /**
     * Stages one framed record, first rotating if it would take a non-empty segment past the configured
     * size. The record reaches the file by the next {@link #flush()} at the latest.
     *
     * @return the segment the record is in
     */
    long append(byte[] payload) throws IOException {
        return append(new byte[][] {payload}, payload.length);
    }

    /** As {@link #append(byte[])} for a payload given as parts that follow each other, {@code length} bytes in all. */
    long append(byte[][] parts, int length) throws IOException {
        long frameBytes = RecordFrame.HEADER_BYTES + (long) length;
        if (size > SegmentFiles.HEADER_BYTES && size + frameBytes > segmentBytes) {
            rotate();
        }
        if (staging.remaining() < RecordFrame.HEADER_BYTES) {
            flush();
        }
        staging.putInt(length).putInt(RecordFrame.checksum(crc, length, parts));
        for (byte[] part : parts) {
            for (int offset = 0; offset < part.length; ) {
                if (!staging.hasRemaining()) {
                    flush();
                }
                int n = Math.min(staging.remaining(), part.length - offset);
                staging.put(part, offset, n);
                offset += n;
            }
        }
        size += frameBytes;
        unsynced = true;
        metrics.appendedBytes.increment(length);
        return segment;
    }

    /** Writes what is staged to the OS (survives a process crash, not a power loss). */
    void flush() throws IOException {
        staging.flip();
        while (staging.hasRemaining()) {
            channel.write(staging);
        }
        staging.clear();
    }

    /** Writes what is staged and forces the segment to stable storage if anything is new since the last sync. */
    void sync() throws IOException {
        flush();
        if (unsynced) {
            long start = System.nanoTime();
            syncer.sync(channel);
            metrics.fsync.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            unsynced = false;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void rotate() throws IOException {
        // Under INTERVAL the old segment would otherwise never be forced: the timer only syncs the current one.
        if (syncFileCreation) {
            sync();
        } else {
            flush();
        }
        channel.close();
        openSegment(segment + 1);
    }

    private void openSegment(long number) throws IOException {
        Path path = SegmentFiles.path(dir, number);
        channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        if (syncFileCreation) {
            SegmentFiles.syncDirectory(dir);
        }
        segment = number;
        size = SegmentFiles.HEADER_BYTES;
        SegmentFiles.putHeader(staging);
        unsynced = true;
    }
}
