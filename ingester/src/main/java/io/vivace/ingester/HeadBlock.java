package io.vivace.ingester;

import io.vivace.common.model.TraceId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Traces that went idle, waiting to be cut into a block: appended to a local file, with an in-memory index of
 * where each trace's bytes are. Not durable on its own — the WAL is; after a crash the head block is rebuilt
 * by replaying the WAL, so the file is never fsynced.
 */
final class HeadBlock implements AutoCloseable {

    /** Where one appended piece of a trace lies in the file. */
    private record Extent(long offset, int length) {
    }

    final UUID id;
    final long createdNanos;
    private final Path file;
    private final FileChannel channel;
    private final ConcurrentHashMap<TraceId, Extent[]> index = new ConcurrentHashMap<>();
    private long writePosition;
    private volatile long minSegment = Long.MAX_VALUE;
    private volatile long startNanos = Long.MAX_VALUE;
    private volatile long endNanos = Long.MIN_VALUE;
    private volatile int spanCount;

    HeadBlock(Path dir, UUID id, long createdNanos) throws IOException {
        this.id = id;
        this.createdNanos = createdNanos;
        Files.createDirectories(dir);
        this.file = dir.resolve(id + ".head");
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** One trace's bytes to append, from the buffer's position to its limit. */
    record Entry(TraceId traceId, ByteBuffer data, int spans, long start, long end, long firstSegment) {
    }

    /** Appends a trace's bytes. Only the sweep calls this, one thread at a time. */
    void append(TraceId traceId, ByteBuffer data, int spans, long start, long end, long firstSegment) throws IOException {
        append(List.of(new Entry(traceId, data, spans, start, end, firstSegment)));
    }

    /** Appends traces' bytes with one gathering write for all of them. Only the sweep calls this, one thread at a time. */
    synchronized void append(List<Entry> entries) throws IOException {
        ByteBuffer[] buffers = new ByteBuffer[entries.size()];
        int[] lengths = new int[entries.size()];
        long total = 0;
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = entries.get(i).data();
            lengths[i] = buffers[i].remaining();
            total += lengths[i];
        }
        if (allDirect(buffers)) {
            // Readers use positional reads only, so moving the channel's position for a gathering write is safe.
            channel.position(writePosition);
            for (long written = 0; written < total; ) {
                written += channel.write(buffers);
            }
        } else {
            // The JDK would copy every heap buffer of a gathering write into its own cached temporary direct buffer.
            long position = writePosition;
            for (ByteBuffer buffer : buffers) {
                while (buffer.hasRemaining()) {
                    position += channel.write(buffer, position);
                }
            }
        }
        long offset = writePosition;
        writePosition += total;
        for (int i = 0; i < buffers.length; i++) {
            Entry entry = entries.get(i);
            Extent extent = new Extent(offset, lengths[i]);
            offset += lengths[i];
            index.merge(entry.traceId(), new Extent[] {extent}, (old, add) -> {
                Extent[] merged = Arrays.copyOf(old, old.length + 1);
                merged[old.length] = extent;
                return merged;
            });
            minSegment = Math.min(minSegment, entry.firstSegment());
            startNanos = Math.min(startNanos, entry.start());
            endNanos = Math.max(endNanos, entry.end());
            spanCount += entry.spans();
        }
    }

    private static boolean allDirect(ByteBuffer[] buffers) {
        for (ByteBuffer buffer : buffers) {
            if (!buffer.isDirect()) {
                return false;
            }
        }
        return true;
    }

    /** The trace's bytes (a valid {@code TracesData}), or null when this block does not hold it. */
    byte[] read(TraceId traceId) throws IOException {
        Extent[] extents = index.get(traceId);
        if (extents == null) {
            return null;
        }
        int total = 0;
        for (Extent e : extents) {
            total += e.length();
        }
        ByteBuffer out = ByteBuffer.allocate(total);
        for (Extent e : extents) {
            ByteBuffer slice = out.slice(out.position(), e.length());
            while (slice.hasRemaining()) {
                if (channel.read(slice, e.offset() + slice.position()) < 0) {
                    throw new IOException("head block " + file + " is shorter than its index");
                }
            }
            out.position(out.position() + e.length());
        }
        return out.array();
    }

    List<TraceId> sortedTraceIds() {
        List<TraceId> ids = new ArrayList<>(index.keySet());
        ids.sort(null);
        return ids;
    }

    boolean isEmpty() {
        return index.isEmpty();
    }

    int traceCount() {
        return index.size();
    }

    int spanCount() {
        return spanCount;
    }

    synchronized long bytes() {
        return writePosition;
    }

    long minSegment() {
        return minSegment;
    }

    long startNanos() {
        return startNanos;
    }

    long endNanos() {
        return endNanos;
    }

    /** Closes and deletes the file once the block is safely in the backend. */
    void delete() throws IOException {
        close();
        Files.deleteIfExists(file);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
