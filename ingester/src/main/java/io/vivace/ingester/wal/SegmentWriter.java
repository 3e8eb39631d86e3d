package io.vivace.ingester.wal;

import com.sun.nio.file.ExtendedOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
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
 *
 * <p>Under {@link FsyncPolicy#ALWAYS} the segment is written with direct I/O ({@code O_DIRECT}) where the file
 * system allows it (decision 0607): every group is forced anyway, and writing around the page cache spares the
 * kernel copying the records into cached pages and writing those back at the fsync. Direct writes cover whole
 * blocks, so the last, partial block of a group goes out padded with zeros and is written again, with the same
 * leading bytes, by the next group; the file is cut back to its records when the segment is rotated or closed. A
 * crash can leave the padding behind, which {@link SegmentReader} takes as the segment's clean end.
 */
final class SegmentWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SegmentWriter.class);

    static final int STAGING_BYTES = 4 << 20;

    private final Path dir;
    private final long segmentBytes;
    private final boolean syncFileCreation;
    private final FileSyncer syncer;
    private final WalMetrics metrics;
    /** Write alignment: the file system's block size with direct I/O, else 1. */
    private final int alignment;
    private final ByteBuffer staging;
    private final CRC32C crc = new CRC32C();

    private boolean direct;
    private FileChannel channel;
    private long segment;
    /** Bytes of the current segment, staged ones included. */
    private long size;
    /** Where in the segment {@code staging[0]} goes: a multiple of {@link #alignment}. */
    private long stagingOffset;
    /** Staged bytes already in the file: the partial block the last flush wrote padded. */
    private int written;
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
        this.alignment = policy == FsyncPolicy.ALWAYS ? blockSize(dir) : 1;
        this.direct = alignment > 1;
        this.staging = ByteBuffer.allocateDirect(STAGING_BYTES + alignment).alignedSlice(alignment).limit(STAGING_BYTES);
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

    /**
     * Writes what is staged to the OS (survives a process crash, not a power loss). With direct I/O the last, partial
     * block is written padded with zeros and stays staged, to be written again with what follows it.
     */
    void flush() throws IOException {
        int staged = staging.position();
        if (staged == written) {
            return;
        }
        int end = roundUp(staged);
        for (int i = staged; i < end; i++) {
            staging.put(i, (byte) 0);
        }
        ByteBuffer out = staging.duplicate().limit(end).position(0);
        while (out.hasRemaining()) {
            channel.write(out, stagingOffset + out.position());
        }
        int whole = staged - staged % alignment;
        int partial = staged - whole;
        if (partial > 0 && whole > 0) {
            staging.put(0, staging, whole, partial);
        }
        staging.clear().limit(STAGING_BYTES).position(partial);
        stagingOffset += whole;
        written = partial;
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

    /** Closes the segment; staged records not yet flushed are lost, so callers {@link #sync()} first. */
    @Override
    public void close() throws IOException {
        try {
            cutPadding();
        } finally {
            channel.close();
        }
    }

    private void rotate() throws IOException {
        // Under INTERVAL the old segment would otherwise never be forced: the timer only syncs the current one.
        if (syncFileCreation) {
            sync();
        } else {
            flush();
        }
        close();
        openSegment(segment + 1);
    }

    /** Cuts a flushed segment's zero padding off, so a closed segment ends with its last record. */
    private void cutPadding() throws IOException {
        if (alignment > 1 && channel.isOpen() && channel.size() > size) {
            channel.truncate(size);
            if (syncFileCreation) {
                syncer.sync(channel);
            }
        }
    }

    private void openSegment(long number) throws IOException {
        Path path = SegmentFiles.path(dir, number);
        channel = open(path);
        if (syncFileCreation) {
            SegmentFiles.syncDirectory(dir);
        }
        segment = number;
        size = SegmentFiles.HEADER_BYTES;
        stagingOffset = 0;
        written = 0;
        staging.clear().limit(STAGING_BYTES);
        SegmentFiles.putHeader(staging);
        unsynced = true;
    }

    /** Opens a new segment, with direct I/O while the file system accepts it. */
    private FileChannel open(Path path) throws IOException {
        if (direct) {
            try {
                return FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (IOException | UnsupportedOperationException e) {
                direct = false; // the padding rules stay: alignment-sized writes are fine without direct I/O
                log.warn("WAL segment {}: direct I/O is not available ({}); writing through the page cache", path, e.toString());
                Files.deleteIfExists(path); // open(2) may have created it before refusing O_DIRECT
            }
        }
        return FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** The file store's block size, which direct I/O aligns to; 1 (no direct I/O) where the JDK cannot tell it. */
    private static int blockSize(Path dir) throws IOException {
        try {
            return Math.toIntExact(Files.getFileStore(dir).getBlockSize());
        } catch (UnsupportedOperationException e) {
            return 1;
        }
    }

    private int roundUp(int bytes) {
        return (bytes + alignment - 1) / alignment * alignment;
    }
}
