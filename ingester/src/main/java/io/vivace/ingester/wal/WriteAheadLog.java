package io.vivace.ingester.wal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * An append-only log of opaque records in numbered segment files, written by one thread that commits
 * whatever callers have queued as a group: one write, at most one fsync, then all their futures complete.
 *
 * <p>Lifecycle: {@link #open} takes an exclusive lock on the directory and starts a new segment after the
 * existing ones; {@link #replay} then reads the existing ones (appends never go into them, so a truncated
 * tail is never appended to); {@link #append} any time until {@link #close}.
 *
 * <p>Futures complete on the writer thread: attach anything slow with the {@code *Async} methods.
 */
public final class WriteAheadLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WriteAheadLog.class);
    private static final String LOCK_FILE = "wal.lock";

    private final Path dir;
    private final WalConfig config;
    private final FileChannel lockChannel;
    private final FileLock dirLock;
    /** Segments that existed at open: what replay reads. */
    private final List<Long> segmentsAtOpen;
    private final SegmentWriter writer;
    private final WalMetrics metrics;
    private final Thread writerThread;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workAvailable = lock.newCondition();
    // Guarded by lock.
    private List<PendingAppend> pending = new ArrayList<>();
    private boolean closed;
    private Throwable failure;

    private volatile long currentSegment;

    private WriteAheadLog(Path dir, WalConfig config, FileChannel lockChannel, FileLock dirLock,
                          List<Long> segmentsAtOpen, SegmentWriter writer, WalMetrics metrics) {
        this.dir = dir;
        this.config = config;
        this.lockChannel = lockChannel;
        this.dirLock = dirLock;
        this.segmentsAtOpen = segmentsAtOpen;
        this.writer = writer;
        this.metrics = metrics;
        this.currentSegment = writer.segment();
        this.writerThread = Thread.ofPlatform().name("wal-writer " + dir).daemon(true).unstarted(this::runWriter);
    }

    public static WriteAheadLog open(Path dir, WalConfig config) {
        return open(dir, config, new CompositeMeterRegistry());
    }

    public static WriteAheadLog open(Path dir, WalConfig config, MeterRegistry registry) {
        return open(dir, config, registry, FileSyncer.FORCE);
    }

    static WriteAheadLog open(Path dir, WalConfig config, MeterRegistry registry, FileSyncer syncer) {
        Objects.requireNonNull(config, "config");
        FileChannel lockChannel = null;
        try {
            Files.createDirectories(dir);
            lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock dirLock = tryLock(lockChannel);
            if (dirLock == null) {
                throw new IllegalStateException("write-ahead log " + dir + " is in use by another process or instance");
            }
            List<Long> existing = SegmentFiles.list(dir);
            long next = existing.isEmpty() ? 1 : existing.getLast() + 1;
            WalMetrics metrics = new WalMetrics(registry);
            SegmentWriter writer = new SegmentWriter(dir, next, config.segmentBytes(), config.fsync(), syncer, metrics);
            WriteAheadLog wal =
                    new WriteAheadLog(dir, config, lockChannel, dirLock, List.copyOf(existing), writer, metrics);
            wal.writerThread.start();
            return wal;
        } catch (IOException | RuntimeException e) {
            closeQuietly(lockChannel, e);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot open write-ahead log " + dir, io);
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * Queues a record. The future completes with the number of the segment the record landed in, once the
     * record is durable as the {@link FsyncPolicy} defines it. It fails with {@link IllegalStateException}
     * when the log is closed or has failed, and with {@link UncheckedIOException} when writing this record
     * failed (after which the log accepts nothing more). The array must not be changed afterwards.
     */
    public CompletableFuture<Long> append(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        return appendParts(new byte[][] {payload});
    }

    /**
     * As {@link #append(byte[])} for one record whose payload is the concatenation of {@code parts}: the parts are
     * framed straight into the segment, so a caller that builds a record from pieces need not join them first.
     */
    public CompletableFuture<Long> appendParts(byte[][] parts) {
        long length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        if (length > RecordFrame.MAX_PAYLOAD_BYTES) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("WAL record of " + length
                    + " bytes exceeds the limit of " + RecordFrame.MAX_PAYLOAD_BYTES));
        }
        PendingAppend append = new PendingAppend(parts, (int) length);
        lock.lock();
        try {
            if (closed) {
                return CompletableFuture.failedFuture(
                        new IllegalStateException("write-ahead log " + dir + " is closed"));
            }
            if (failure != null) {
                return CompletableFuture.failedFuture(refusal());
            }
            pending.add(append);
            if (pending.size() == 1) {
                workAvailable.signal(); // the writer only waits when the queue is empty
            }
        } finally {
            lock.unlock();
        }
        return append.future;
    }

    /** The segment new records go to. */
    public long currentSegment() {
        return currentSegment;
    }

    /**
     * Deletes every segment numbered below {@code segment}, never the current one. Call it once the records
     * in those segments are safe elsewhere (in a block in the backend), and not while {@link #replay} runs.
     */
    public void deleteSegmentsBefore(long segment) {
        long limit = Math.min(segment, currentSegment);
        try {
            for (long number : SegmentFiles.list(dir)) {
                if (number < limit) {
                    Files.deleteIfExists(SegmentFiles.path(dir, number));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete WAL segments before " + segment + " in " + dir, e);
        }
    }

    /**
     * Deletes every segment, the current one included. Only after {@link #close}, and only when everything the
     * log holds is safe elsewhere: a clean shutdown that flushed all data leaves nothing to replay.
     */
    public void deleteAllSegmentsAfterClose() {
        lock.lock();
        try {
            if (!closed || writerThread.isAlive()) {
                throw new IllegalStateException("write-ahead log " + dir + " is still open");
            }
        } finally {
            lock.unlock();
        }
        try {
            for (long number : SegmentFiles.list(dir)) {
                Files.deleteIfExists(SegmentFiles.path(dir, number));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete WAL segments in " + dir, e);
        }
    }

    /**
     * Hands every intact record of the segments that existed at {@link #open} to {@code consumer}, in the
     * order written, with its segment number. A cut-off or corrupt record at the end of the newest segment
     * (a crash mid-write) is truncated away. Damage in an older segment is logged and the rest of that
     * segment skipped: what follows the damage cannot be framed reliably.
     *
     * @throws UncheckedIOException when a segment cannot be read, or has a format version this build does
     *                              not know
     */
    public void replay(BiConsumer<Long, byte[]> consumer) {
        for (int i = 0; i < segmentsAtOpen.size(); i++) {
            long segment = segmentsAtOpen.get(i);
            Path file = SegmentFiles.path(dir, segment);
            if (!Files.exists(file)) {
                continue; // deleted since open
            }
            boolean newest = i == segmentsAtOpen.size() - 1;
            try {
                SegmentReader.Scan scan = SegmentReader.read(file, segment, consumer);
                if (scan.intact()) {
                    if (newest && scan.validBytes() < scan.fileBytes()) {
                        truncate(file, scan.validBytes()); // the zero padding of a direct-I/O write: nothing lost
                    }
                    continue;
                }
                long dropped = scan.fileBytes() - scan.validBytes();
                if (newest) {
                    log.warn("WAL segment {}: {} at offset {}; truncating the torn tail ({} bytes) after {} intact "
                            + "records", file, scan.problem(), scan.validBytes(), dropped, scan.records());
                    truncate(file, scan.validBytes());
                } else {
                    log.warn("WAL segment {}: {} at offset {}; skipping the remaining {} bytes of this segment after "
                            + "{} intact records", file, scan.problem(), scan.validBytes(), dropped, scan.records());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot replay WAL segment " + file, e);
            }
        }
    }

    /**
     * Writes and fsyncs what is queued (whatever the policy), completes those futures and stops the writer.
     * Later appends fail with {@link IllegalStateException}.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            workAvailable.signal();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        while (writerThread.isAlive()) {
            try {
                writerThread.join();
            } catch (InterruptedException e) {
                interrupted = true; // finish closing: the queued futures must complete either way
            }
        }
        try {
            if (dirLock.isValid()) {
                dirLock.release();
            }
            lockChannel.close();
        } catch (IOException e) {
            log.warn("cannot release the lock of write-ahead log {}", dir, e);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void runWriter() {
        List<PendingAppend> group = new ArrayList<>();
        boolean interval = config.fsync() == FsyncPolicy.INTERVAL;
        long intervalNanos = config.fsyncInterval().toNanos();
        long nextSync = System.nanoTime() + intervalNanos; // INTERVAL's deadline while there are unsynced bytes
        while (true) {
            boolean closing = false;
            boolean interrupted = false;
            lock.lock();
            try {
                while (pending.isEmpty() && !closed) {
                    if (!interval || !writer.unsynced()) {
                        workAvailable.await();
                    } else {
                        long wait = nextSync - System.nanoTime();
                        if (wait <= 0) {
                            break;
                        }
                        workAvailable.awaitNanos(wait);
                    }
                }
                List<PendingAppend> swap = pending;
                pending = group;
                group = swap;
                closing = closed;
            } catch (InterruptedException e) {
                interrupted = true;
            } finally {
                lock.unlock();
            }
            if (interrupted) {
                fail(group, new IOException("the WAL writer thread was interrupted"));
                return;
            }
            try {
                if (!group.isEmpty()) {
                    boolean wasSynced = !writer.unsynced();
                    for (PendingAppend append : group) {
                        append.segment = writer.append(append.parts, append.length);
                    }
                    currentSegment = writer.segment();
                    if (config.fsync() == FsyncPolicy.ALWAYS || closing) {
                        writer.sync();
                    } else {
                        writer.flush();
                        if (wasSynced) {
                            nextSync = System.nanoTime() + intervalNanos;
                        }
                    }
                    metrics.groupRecords.record(group.size());
                    for (PendingAppend append : group) {
                        append.future.complete(append.segment);
                    }
                    group.clear();
                }
                if (interval && writer.unsynced() && System.nanoTime() - nextSync >= 0) {
                    writer.sync();
                }
                if (closing) {
                    writer.sync();
                    writer.close();
                    return;
                }
            } catch (IOException | RuntimeException | Error e) {
                fail(group, e);
                return;
            }
        }
    }

    /** Fails the group being written and everything queued behind it, and refuses appends from now on. */
    private void fail(List<PendingAppend> group, Throwable cause) {
        log.error("write-ahead log {} failed in segment {}; it accepts no more appends", dir, writer.segment(), cause);
        List<PendingAppend> queued;
        lock.lock();
        try {
            failure = cause;
            queued = pending;
            pending = new ArrayList<>();
        } finally {
            lock.unlock();
        }
        UncheckedIOException error = new UncheckedIOException("write-ahead log " + dir + " failed writing segment "
                + writer.segment(), cause instanceof IOException io ? io : new IOException(cause));
        for (PendingAppend append : group) {
            append.future.completeExceptionally(error);
        }
        for (PendingAppend append : queued) {
            append.future.completeExceptionally(refusal());
        }
        try {
            writer.close();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    private IllegalStateException refusal() {
        return new IllegalStateException("write-ahead log " + dir + " failed and accepts no more appends; restart to "
                + "recover: " + failure, failure);
    }

    private void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
            channel.force(true);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by this JVM
        }
    }

    private static void closeQuietly(FileChannel channel, Exception primary) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                primary.addSuppressed(e);
            }
        }
    }

    private static final class PendingAppend {
        final byte[][] parts;
        final int length;
        final CompletableFuture<Long> future = new CompletableFuture<>();
        long segment;

        PendingAppend(byte[][] parts, int length) {
            this.parts = parts;
            this.length = length;
        }
    }
}
