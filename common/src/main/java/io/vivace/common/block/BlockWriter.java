package io.vivace.common.block;

import io.vivace.common.block.parquet.ColumnFileWriter;
import io.vivace.common.model.TraceId;
import io.vivace.common.storage.Backend;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.parquet.io.LocalOutputFile;

/**
 * Writes one block to a backend from whole traces sorted by trace ID.
 *
 * <p>Streams: {@code data.parquet} goes to a local scratch file (memory holds about one row group), the trace IDs
 * to a second scratch file for the bloom filter (sized only once the count is known); then the backend gets
 * {@code data.parquet}, the {@code bloom-N} shards and, last, {@code meta.json} — a block without it is invisible.
 * Not thread-safe per call; one instance may serve many calls in sequence or in parallel.
 */
public final class BlockWriter {

    private final BlockConfig config;
    private final Path scratchDir;

    public BlockWriter(BlockConfig config) {
        this(config, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** @param scratchDir where the data file is staged before upload (needs room for one block) */
    public BlockWriter(BlockConfig config, Path scratchDir) {
        this.config = config;
        this.scratchDir = scratchDir;
    }

    /**
     * Writes the block and returns its meta (also stored as {@code meta.json}).
     *
     * @param traces whole traces, strictly ascending by ID (unsigned byte order), one per ID
     * @throws IllegalArgumentException if the traces are not strictly ascending; nothing is written then
     */
    public BlockMeta write(Backend backend, String tenant, UUID blockId, int compactionLevel, Iterator<TraceRecord> traces)
            throws IOException {
        Files.createDirectories(scratchDir);
        Path dir = Files.createTempDirectory(scratchDir, "vivace-block-");
        try {
            Path data = dir.resolve(BlockKeys.DATA);
            Path ids = dir.resolve("trace-ids");
            Totals totals = writeData(data, ids, traces);
            long size = Files.size(data);
            int footerSize = footerSize(data);
            try {
                backend.writeFile(BlockKeys.data(tenant, blockId), data);
                int shards = writeBloom(backend, tenant, blockId, ids, totals.traces);
                BlockMeta meta = new BlockMeta(TraceSchema.FORMAT, blockId, tenant, totals.start(), totals.end(),
                        totals.traces, size, compactionLevel, totals.rowGroups, shards, footerSize, totals.spans);
                backend.write(BlockKeys.meta(tenant, blockId), meta.toJson());
                return meta;
            } catch (IOException | RuntimeException e) {
                deletePartialBlock(backend, tenant, blockId, e);
                throw e;
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    private Totals writeData(Path data, Path ids, Iterator<TraceRecord> traces) throws IOException {
        Totals totals = new Totals();
        ColumnFileWriter file = new ColumnFileWriter(new LocalOutputFile(data), TraceSchema.SCHEMA,
                Set.copyOf(TraceSchema.DICTIONARY_COLUMNS), config.rowGroupSizeBytes(), config.pageSizeBytes(),
                config.pageRowCountLimit(), config.pageMinEntryCount(), config.compression().parquet, config.zstdLevel(),
                Map.of("vivace.format", TraceSchema.FORMAT));
        TraceRowWriter rows = new TraceRowWriter(file);
        try (file; DataOutputStream idOut = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(ids), 64 * 1024))) {
            TraceId previous = null;
            while (traces.hasNext()) {
                TraceRecord trace = traces.next();
                if (previous != null && trace.id().compareTo(previous) <= 0) {
                    throw new IllegalArgumentException("traces must arrive strictly sorted by trace ID: " + trace.id()
                            + " came after " + previous);
                }
                previous = trace.id();
                rows.write(trace);
                totals.add(rows.lastSummary());
                idOut.writeLong(trace.id().hi());
                idOut.writeLong(trace.id().lo());
            }
        }
        totals.rowGroups = file.footer().getBlocks().size();
        return totals;
    }

    private int writeBloom(Backend backend, String tenant, UUID blockId, Path ids, long traces) throws IOException {
        int shardBytes = TraceIdBloom.shardBytes(config.bloomShardSizeBytes());
        TraceIdBloom.Builder bloom = new TraceIdBloom.Builder(
                TraceIdBloom.shardCount(traces, config.bloomFalsePositive(), shardBytes), shardBytes);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(ids), 64 * 1024))) {
            for (long i = 0; i < traces; i++) {
                bloom.add(new TraceId(in.readLong(), in.readLong()));
            }
        }
        for (int shard = 0; shard < bloom.shardCount(); shard++) {
            backend.write(BlockKeys.bloom(tenant, blockId, shard), bloom.serialize(shard));
        }
        return bloom.shardCount();
    }

    /**
     * Best effort after a failed upload: removes what was written of the block, {@code meta.json} first (a write that
     * failed on the client's side may still have landed). What cannot be deleted now (the store is down) stays
     * invisible, having no {@code meta.json}, and is overwritten when the same block ID is written again.
     */
    private static void deletePartialBlock(Backend backend, String tenant, UUID blockId, Exception cause) {
        try {
            backend.delete(BlockKeys.meta(tenant, blockId));
            for (String key : backend.list(BlockKeys.prefix(tenant, blockId))) {
                backend.delete(key);
            }
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** The Parquet footer length, from the trailer: 4-byte little-endian length, then "PAR1". */
    private static int footerSize(Path data) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(data.toFile(), "r")) {
            file.seek(file.length() - 8);
            return Integer.reverseBytes(file.readInt());
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static final class Totals {
        long traces;
        long spans;
        int rowGroups;
        boolean anySpan;
        long startNanos;
        long endNanos;

        void add(TraceSummarizer trace) {
            traces++;
            if (trace.spanCount == 0) {
                return;
            }
            spans += trace.spanCount;
            if (!anySpan || Long.compareUnsigned(trace.startNanos, startNanos) < 0) {
                startNanos = trace.startNanos;
            }
            if (!anySpan || Long.compareUnsigned(trace.endNanos, endNanos) > 0) {
                endNanos = trace.endNanos;
            }
            anySpan = true;
        }

        Instant start() {
            return Instant.ofEpochSecond(0, startNanos);
        }

        Instant end() {
            return Instant.ofEpochSecond(0, endNanos);
        }
    }
}
