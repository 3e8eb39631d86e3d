package io.vivace.common.block;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.model.TraceId;
import io.vivace.common.storage.Backend;
import io.vivace.common.storage.LocalBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.parquet.NoHadoopReadOptions;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.filter2.columnindex.RowRanges;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;

/**
 * A block in the backend, opened for reading. Holds the Parquet footer, the trace-ID range of every row group
 * and (once read) the bloom shards and each row group's trace IDs. Thread-safe: concurrent reads borrow
 * different pooled readers; {@link #traces()} opens its own.
 *
 * <p>Lookup: bloom shard → the row group whose TraceID min/max (footer statistics) covers the ID → binary search
 * in that group's trace IDs → that row only, with a one-row range so each column reads one page.
 */
public final class BackendBlock implements AutoCloseable {

    private static final ParquetReadOptions NO_FILTER = NoHadoopReadOptions.create(NoHadoopCodecs.INSTANCE, FilterCompat.NOOP);

    private final Backend backend;
    private final BlockMeta meta;
    private final InputFile file;
    private final ParquetMetadata footer;
    private final TraceId[] rowGroupMin;
    private final TraceId[] rowGroupMax;
    private final AtomicReferenceArray<TraceIdBloom.Shard> bloomShards;
    /** Per row group, its trace IDs in row order as {@code hi, lo} pairs; loaded by the first lookup there. */
    private final AtomicReferenceArray<long[]> rowGroupIds;
    private final ReaderPool idReaders;
    private final ReaderPool rowReaders;

    private BackendBlock(Backend backend, BlockMeta meta, InputFile file, ParquetMetadata footer) {
        this.backend = backend;
        this.meta = meta;
        this.file = file;
        this.footer = footer;
        List<BlockMetaData> groups = footer.getBlocks();
        rowGroupMin = new TraceId[groups.size()];
        rowGroupMax = new TraceId[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            Statistics<?> stats = traceIdChunk(groups.get(g)).getStatistics();
            if (stats == null || !stats.hasNonNullValue()) {
                throw new IllegalStateException("block " + meta.blockId() + " row group " + g + " has no TraceID statistics");
            }
            rowGroupMin[g] = TraceId.fromBytes(stats.getMinBytes());
            rowGroupMax[g] = TraceId.fromBytes(stats.getMaxBytes());
        }
        bloomShards = new AtomicReferenceArray<>(Math.max(0, meta.bloomShards()));
        rowGroupIds = new AtomicReferenceArray<>(groups.size());
        idReaders = new ReaderPool(TraceSchema.TRACE_ID_ONLY);
        rowReaders = new ReaderPool(TraceSchema.OTLP_PROJECTION);
    }

    /** Opens a block: reads the Parquet footer (and nothing else). */
    public static BackendBlock open(Backend backend, BlockMeta meta) throws IOException {
        if (!TraceSchema.FORMAT.equals(meta.format())) {
            throw new IOException("block " + meta.blockId() + " has format " + meta.format() + ", expected " + TraceSchema.FORMAT);
        }
        InputFile file = backend instanceof LocalBackend local
                ? new LocalInputFile(local.pathOf(meta.dataKey()))
                : new BackendInputFile(backend, meta.dataKey(), meta.size() > 0 ? meta.size() : backend.size(meta.dataKey()));
        ParquetMetadata footer;
        try (ParquetFileReader reader = new ParquetFileReader(file, NO_FILTER)) {
            footer = reader.getFooter();
        }
        return new BackendBlock(backend, meta, file, footer);
    }

    public BlockMeta meta() {
        return meta;
    }

    int rowGroupCount() {
        return rowGroupMin.length;
    }

    /** The whole trace with this ID, or empty when the block does not hold it. */
    public Optional<TracesData> findTraceById(TraceId id) throws IOException {
        if (!bloomMightContain(id)) {
            return Optional.empty();
        }
        return findInData(id);
    }

    /** False only when the block certainly does not hold the ID. Reads (and caches) one bloom shard. */
    public boolean bloomMightContain(TraceId id) throws IOException {
        int shards = bloomShards.length();
        if (shards == 0) {
            return true;
        }
        int index = TraceIdBloom.shardOf(id, shards);
        TraceIdBloom.Shard shard = bloomShards.get(index);
        if (shard == null) {
            shard = new TraceIdBloom.Shard(backend.read(meta.bloomKey(index)));
            bloomShards.compareAndSet(index, null, shard);
        }
        return shard.mightContain(id);
    }

    /** The lookup without the bloom filter. */
    Optional<TracesData> findInData(TraceId id) throws IOException {
        int group = rowGroupFor(id);
        if (group < 0) {
            return Optional.empty();
        }
        long row = rowOf(id, group);
        if (row < 0) {
            return Optional.empty();
        }
        ParquetFileReader reader = rowReaders.borrow();
        try (PageReadStore pages = reader.readFilteredRowGroup(group, RowRanges.builder().addSelectedRow(row).build())) {
            TraceRecord record = recordReader(pages, new TraceMaterializer(TraceSchema.OTLP_PROJECTION), TraceSchema.OTLP_PROJECTION).read();
            if (!id.equals(record.id())) {
                throw new IllegalStateException("block " + meta.blockId() + ": row " + row + " holds " + record.id() + ", expected " + id);
            }
            return Optional.of(record.trace());
        } finally {
            rowReaders.release(reader);
        }
    }

    /** The row group whose [min, max] TraceID range holds {@code id}, or -1. Groups are sorted and disjoint. */
    private int rowGroupFor(TraceId id) {
        int lo = 0;
        int hi = rowGroupMin.length - 1;
        int candidate = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (rowGroupMin[mid].compareTo(id) <= 0) {
                candidate = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return candidate >= 0 && id.compareTo(rowGroupMax[candidate]) <= 0 ? candidate : -1;
    }

    /** The row (within the group) holding {@code id}, or -1: a binary search over the group's trace IDs. */
    private long rowOf(TraceId id, int group) throws IOException {
        long[] ids = traceIdsOf(group);
        int lo = 0;
        int hi = ids.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = id.compareTo(new TraceId(ids[2 * mid], ids[2 * mid + 1]));
            if (c == 0) {
                return mid;
            }
            if (c < 0) {
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        return -1;
    }

    /**
     * The trace IDs of a row group, read once (16 bytes per trace, one small column) and kept: a lookup then
     * touches only the pages of the one row it needs.
     */
    private long[] traceIdsOf(int group) throws IOException {
        long[] ids = rowGroupIds.get(group);
        if (ids != null) {
            return ids;
        }
        ParquetFileReader reader = idReaders.borrow();
        try (PageReadStore pages = reader.readRowGroup(group)) {
            RecordReader<TraceId> records = recordReader(pages, new TraceIdOnly(), TraceSchema.TRACE_ID_ONLY);
            ids = new long[Math.toIntExact(2 * pages.getRowCount())];
            for (int i = 0; i < ids.length; i += 2) {
                TraceId id = records.read();
                ids[i] = id.hi();
                ids[i + 1] = id.lo();
            }
        } finally {
            idReaders.release(reader);
        }
        rowGroupIds.compareAndSet(group, null, ids);
        return ids;
    }

    /** Every trace of the block in ID order. Close the stream (it holds the file open). */
    public Stream<TraceRecord> traces() throws IOException {
        ParquetFileReader reader = new ParquetFileReader(file, footer, NO_FILTER, file.newStream());
        reader.setRequestedSchema(TraceSchema.OTLP_PROJECTION);
        TraceMaterializer materializer = new TraceMaterializer(TraceSchema.OTLP_PROJECTION);
        Iterator<TraceRecord> rows = new Iterator<>() {
            private PageReadStore pages;
            private RecordReader<TraceRecord> records;
            private long remaining;

            @Override
            public boolean hasNext() {
                try {
                    while (remaining == 0) {
                        if (pages != null) {
                            pages.close();
                        }
                        pages = reader.readNextRowGroup();
                        if (pages == null) {
                            return false;
                        }
                        records = recordReader(pages, materializer, TraceSchema.OTLP_PROJECTION);
                        remaining = pages.getRowCount();
                    }
                    return true;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public TraceRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                remaining--;
                return records.read();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(rows, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(() -> {
                    try {
                        reader.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /** Closes the pooled readers (and their files), also those in use once they are returned. */
    @Override
    public void close() {
        idReaders.close();
        rowReaders.close();
    }

    private <T> RecordReader<T> recordReader(PageReadStore pages, RecordMaterializer<T> materializer, MessageType requested) {
        MessageColumnIO io = new ColumnIOFactory(footer.getFileMetaData().getCreatedBy())
                .getColumnIO(requested, footer.getFileMetaData().getSchema(), true);
        return io.getRecordReader(pages, materializer, FilterCompat.NOOP);
    }

    private static ColumnChunkMetaData traceIdChunk(BlockMetaData group) {
        for (ColumnChunkMetaData chunk : group.getColumns()) {
            if (Arrays.equals(chunk.getPath().toArray(), new String[] {"TraceID"})) {
                return chunk;
            }
        }
        throw new IllegalStateException("row group without a TraceID column");
    }

    /**
     * Open readers of this block for one projection, reused across lookups: a reader keeps the offset and column
     * indexes it has read, which a fresh reader would read again (byte by byte, through Thrift) for every column.
     */
    private final class ReaderPool {
        private final MessageType projection;
        private final ConcurrentLinkedDeque<ParquetFileReader> idle = new ConcurrentLinkedDeque<>();
        private volatile boolean closed;

        ReaderPool(MessageType projection) {
            this.projection = projection;
        }

        ParquetFileReader borrow() throws IOException {
            ParquetFileReader reader = idle.pollFirst();
            if (reader == null) {
                reader = new ParquetFileReader(file, footer, NO_FILTER, file.newStream());
                reader.setRequestedSchema(projection);
            }
            return reader;
        }

        void release(ParquetFileReader reader) {
            idle.offerFirst(reader);
            if (closed) {
                closeIdle();
            }
        }

        void close() {
            closed = true;
            closeIdle();
        }

        private void closeIdle() {
            for (ParquetFileReader reader; (reader = idle.pollFirst()) != null; ) {
                try {
                    reader.close();
                } catch (IOException e) {
                    // Only a file handle to give back; nothing was written.
                }
            }
        }
    }

    /** Reads just the TraceID of each row. */
    private static final class TraceIdOnly extends RecordMaterializer<TraceId> {
        private TraceId current;
        private final PrimitiveConverter id = new PrimitiveConverter() {
            @Override
            public void addBinary(Binary value) {
                current = TraceId.fromBytes(value.getBytesUnsafe());
            }
        };
        private final GroupConverter root = new GroupConverter() {
            @Override
            public Converter getConverter(int fieldIndex) {
                return id;
            }

            @Override
            public void start() {
            }

            @Override
            public void end() {
            }
        };

        @Override
        public TraceId getCurrentRecord() {
            return current;
        }

        @Override
        public GroupConverter getRootConverter() {
            return root;
        }
    }
}
