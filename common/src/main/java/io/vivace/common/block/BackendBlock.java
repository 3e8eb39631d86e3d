package io.vivace.common.block;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.block.parquet.ByteArrayDictionary;
import io.vivace.common.block.parquet.ChunkLayout;
import io.vivace.common.block.parquet.ColumnCursor;
import io.vivace.common.block.parquet.ColumnPage;
import io.vivace.common.block.parquet.PageCodec;
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
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.schema.MessageType;

/**
 * A block in the backend, opened for reading. Holds the Parquet footer, the trace-ID range of every row group
 * and (once read) the bloom shards, each row group's trace IDs and page layout; its decoded dictionaries live in a
 * cache shared by all blocks. Thread-safe: every lookup reads with its own file handle and decoders.
 *
 * <p>Lookup: bloom shard → the row group whose TraceID min/max (footer statistics) covers the ID → binary search
 * in that group's trace IDs → from every column the rebuild needs, only the page holding that row (found in the
 * offset index), all fetched in a few coalesced reads, decoded and reassembled by {@link TraceRowReader}.
 */
public final class BackendBlock implements AutoCloseable {

    /**
     * Decoded dictionary pages of all open blocks, shared and bounded: a lookup needs a few entries of some 30
     * dictionaries, and decompressing them costs more than the rest of the lookup.
     */
    private static final Cache<DictionaryKey, ByteArrayDictionary> DICTIONARIES = Caffeine.newBuilder()
            .maximumWeight(64L << 20)
            .weigher((DictionaryKey key, ByteArrayDictionary dictionary) -> (int) Math.min(Integer.MAX_VALUE, dictionary.retainedBytes()))
            .build();

    private record DictionaryKey(BackendBlock block, int group, int column) {
    }

    private final Backend backend;
    private final BlockMeta meta;
    /**
     * The file's schema: {@link TraceSchema#SCHEMA}, {@link TraceSchema#SCHEMA_V3} for vivace3, or
     * {@link TraceSchema#SCHEMA_V2} for vivace1 and vivace2.
     */
    private final MessageType schema;
    /** Per position of {@link TraceColumns}, the file's column at that path, or -1 when the file has none. */
    private final int[] fileColumns;
    private final DataFile file;
    private final List<BlockMetaData> rowGroups;
    private final TraceId[] rowGroupMin;
    private final TraceId[] rowGroupMax;
    private final AtomicReferenceArray<TraceIdBloom.Shard> bloomShards;
    /** Per row group, its trace IDs in row order as {@code hi, lo} pairs; loaded by the first lookup there. */
    private final AtomicReferenceArray<long[]> rowGroupIds;
    /** Per row group, where each column's pages are; loaded by the first lookup there. */
    private final AtomicReferenceArray<ChunkLayout[]> layouts;
    /** Per row group and column, whether every data page is dictionary-encoded (found by reading the page headers). */
    private final java.util.concurrent.ConcurrentHashMap<Long, Boolean> dictionaryEncodedChunks =
            new java.util.concurrent.ConcurrentHashMap<>();

    private BackendBlock(Backend backend, BlockMeta meta, MessageType schema, DataFile file, List<BlockMetaData> rowGroups) {
        this.backend = backend;
        this.meta = meta;
        this.schema = schema;
        this.fileColumns = fileColumns(schema);
        this.file = file;
        this.rowGroups = rowGroups;
        rowGroupMin = new TraceId[rowGroups.size()];
        rowGroupMax = new TraceId[rowGroups.size()];
        for (int g = 0; g < rowGroups.size(); g++) {
            Statistics<?> stats = rowGroups.get(g).getColumns().get(fileColumns[TraceColumns.TRACE_ID]).getStatistics();
            if (stats == null || !stats.hasNonNullValue()) {
                throw new IllegalStateException("block " + meta.blockId() + " row group " + g + " has no TraceID statistics");
            }
            rowGroupMin[g] = TraceId.fromBytes(stats.getMinBytes());
            rowGroupMax[g] = TraceId.fromBytes(stats.getMaxBytes());
        }
        bloomShards = new AtomicReferenceArray<>(Math.max(0, meta.bloomShards()));
        rowGroupIds = new AtomicReferenceArray<>(rowGroups.size());
        layouts = new AtomicReferenceArray<>(rowGroups.size());
    }

    /** Opens a block: reads the Parquet footer (and nothing else). */
    public static BackendBlock open(Backend backend, BlockMeta meta) throws IOException {
        MessageType schema = schemaOf(meta);
        long size = meta.size() > 0 ? meta.size() : backend.size(meta.dataKey());
        if (backend instanceof LocalBackend local) {
            DataFile file = new DataFile.Local(local.pathOf(meta.dataKey()), size);
            return new BackendBlock(backend, meta, schema, file, BlockFooter.read(file, meta.footerSize(), schema));
        }
        DataFile.Remote footer = new DataFile.Remote(backend, meta.dataKey(), size, 0);
        List<BlockMetaData> rowGroups = BlockFooter.read(footer, meta.footerSize(), schema);
        return new BackendBlock(backend, meta, schema, new DataFile.Remote(backend, meta.dataKey(), size, indexStart(rowGroups, size)),
                rowGroups);
    }

    /** The schema of a block of {@code meta.format()}. */
    private static MessageType schemaOf(BlockMeta meta) throws IOException {
        return switch (meta.format()) {
            case TraceSchema.FORMAT -> TraceSchema.SCHEMA;
            case TraceSchema.FORMAT_V3 -> TraceSchema.SCHEMA_V3;
            case TraceSchema.FORMAT_V2, TraceSchema.FORMAT_V1 -> TraceSchema.SCHEMA_V2;
            default -> throw new IOException("block " + meta.blockId() + " has format " + meta.format() + ", expected "
                    + TraceSchema.FORMAT + ", " + TraceSchema.FORMAT_V3 + ", " + TraceSchema.FORMAT_V2 + " or "
                    + TraceSchema.FORMAT_V1);
        };
    }

    private static int[] fileColumns(MessageType schema) {
        List<ColumnDescriptor> inFile = schema.getColumns();
        int[] columns = new int[TraceColumns.COUNT];
        Arrays.fill(columns, -1);
        for (int c = 0; c < inFile.size(); c++) {
            columns[TraceColumns.position(inFile.get(c).getPath())] = c;
        }
        return columns;
    }

    /** Whether the block's spans hold their events and links (vivace1, vivace2) instead of trace-level lists. */
    private boolean eventsInSpans() {
        return schema == TraceSchema.SCHEMA_V2;
    }

    /** Whether span start times are relative to the trace's start time (vivace4) instead of as sent. */
    boolean relativeSpanStarts() {
        return schema == TraceSchema.SCHEMA;
    }

    /** The columns a trace's OTLP form is rebuilt from in this block. */
    int[] otlpColumns() {
        if (schema == TraceSchema.SCHEMA) {
            return TraceColumns.OTLP;
        }
        return eventsInSpans() ? TraceColumns.OTLP_V2 : TraceColumns.OTLP_V3;
    }

    /** A reader of rows of this block from cursors on {@link #otlpColumns()} (by position of {@link TraceColumns}). */
    TraceRowReader rowReader(ColumnCursor[] cursors) {
        return new TraceRowReader(cursors, eventsInSpans(), relativeSpanStarts());
    }

    /** Where the column and offset indexes begin: after the last page of every column chunk. */
    private static long indexStart(List<BlockMetaData> rowGroups, long size) {
        long start = size;
        for (BlockMetaData group : rowGroups) {
            for (ColumnChunkMetaData chunk : group.getColumns()) {
                if (chunk.getColumnIndexReference() != null) {
                    start = Math.min(start, chunk.getColumnIndexReference().getOffset());
                }
                if (chunk.getOffsetIndexReference() != null) {
                    start = Math.min(start, chunk.getOffsetIndexReference().getOffset());
                }
            }
        }
        return start;
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
        try (DataFile.Reads reads = file.open(); PageCodec codec = new PageCodec()) {
            long row = rowOf(id, group, reads, codec);
            if (row < 0) {
                return Optional.empty();
            }
            TraceRecord record = readRow(group, layout(group, reads), row, reads, codec);
            if (!id.equals(record.id())) {
                throw new IllegalStateException("block " + meta.blockId() + ": row " + row + " holds " + record.id() + ", expected " + id);
            }
            return Optional.of(record.trace());
        }
    }

    /**
     * Reads, from each column the rebuild needs, the page holding {@code row} and the dictionary if not cached,
     * then decodes those pages up to the row and reassembles it.
     */
    private TraceRecord readRow(int group, ChunkLayout[] layout, long row, DataFile.Reads reads, PageCodec codec) throws IOException {
        int[] columns = otlpColumns();
        long[] offsets = new long[2 * columns.length];
        int[] lengths = new int[2 * columns.length];
        int[] pages = new int[columns.length];
        ByteArrayDictionary[] dictionaries = new ByteArrayDictionary[columns.length];
        int ranges = 0;
        for (int i = 0; i < columns.length; i++) {
            ChunkLayout chunk = layout[columns[i]];
            int page = chunk.pageOf(row);
            pages[i] = page;
            offsets[ranges] = chunk.pageOffsets()[page];
            lengths[ranges++] = chunk.pageLengths()[page];
            if (chunk.dictionaryLength() > 0) {
                dictionaries[i] = DICTIONARIES.getIfPresent(new DictionaryKey(this, group, columns[i]));
                if (dictionaries[i] == null) {
                    offsets[ranges] = chunk.dictionaryOffset();
                    lengths[ranges++] = chunk.dictionaryLength();
                }
            }
        }
        CoalescedReads.Slice[] slices = CoalescedReads.read(reads, Arrays.copyOf(offsets, ranges), Arrays.copyOf(lengths, ranges),
                file.coalesceGap());
        ColumnCursor[] cursors = new ColumnCursor[TraceColumns.COUNT];
        int s = 0;
        for (int i = 0; i < columns.length; i++) {
            ChunkLayout chunk = layout[columns[i]];
            CoalescedReads.Slice page = slices[s++];
            if (chunk.dictionaryLength() > 0 && dictionaries[i] == null) {
                CoalescedReads.Slice d = slices[s++];
                dictionaries[i] = ColumnPage.decodeDictionary(chunk, d.bytes(), d.offset(), d.length(), codec);
                DICTIONARIES.put(new DictionaryKey(this, group, columns[i]), dictionaries[i]);
            }
            int rowInPage = Math.toIntExact(row - chunk.firstRows()[pages[i]]);
            ColumnPage decoded = ColumnPage.decode(chunk, page.bytes(), page.offset(), page.length(), codec, dictionaries[i],
                    rowInPage + 1);
            cursors[columns[i]] = ColumnCursor.atRow(decoded, rowInPage);
        }
        TraceRecord record = rowReader(cursors).read();
        for (int column : columns) {
            cursors[column].requireRowDone();
        }
        return record;
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
    private long rowOf(TraceId id, int group, DataFile.Reads reads, PageCodec codec) throws IOException {
        long[] ids = traceIdsOf(group, reads, codec);
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
    private long[] traceIdsOf(int group, DataFile.Reads reads, PageCodec codec) throws IOException {
        long[] ids = rowGroupIds.get(group);
        if (ids != null) {
            return ids;
        }
        ChunkLayout chunk = layout(group, reads)[TraceColumns.TRACE_ID];
        ColumnCursor cursor = chunkCursor(chunk, reads.read(chunk.start(), Math.toIntExact(chunk.end() - chunk.start())),
                0, codec);
        ids = new long[Math.toIntExact(2 * rowGroups.get(group).getRowCount())];
        for (int i = 0; i < ids.length; i += 2) {
            cursor.nextRow();
            TraceId id = TraceId.fromBytes(cursor.nextBytes());
            ids[i] = id.hi();
            ids[i + 1] = id.lo();
        }
        rowGroupIds.compareAndSet(group, null, ids);
        return ids;
    }

    private ChunkLayout[] layout(int group, DataFile.Reads reads) throws IOException {
        ChunkLayout[] layout = layouts.get(group);
        if (layout == null) {
            ChunkLayout[] inFile = ChunkLayout.ofRowGroup(rowGroups.get(group), schema.getColumns(), reads);
            layout = new ChunkLayout[TraceColumns.COUNT];
            for (int c = 0; c < layout.length; c++) {
                layout[c] = fileColumns[c] < 0 ? null : inFile[fileColumns[c]];
            }
            layouts.compareAndSet(group, null, layout);
        }
        return layout;
    }

    /** A cursor over every row of a chunk whose bytes start at {@code bytes[offset]}. */
    private static ColumnCursor chunkCursor(ChunkLayout chunk, byte[] bytes, int offset, PageCodec codec) throws IOException {
        long base = chunk.start() - offset;
        ByteArrayDictionary dictionary = chunk.dictionaryLength() > 0
                ? ColumnPage.decodeDictionary(chunk, bytes, offset, chunk.dictionaryLength(), codec)
                : null;
        int[] next = {0};
        return ColumnCursor.overChunk(chunk.column().getMaxDefinitionLevel(), () -> {
            int page = next[0]++;
            if (page == chunk.pageCount()) {
                return null;
            }
            return ColumnPage.decode(chunk, bytes, Math.toIntExact(chunk.pageOffsets()[page] - base),
                    chunk.pageLengths()[page], codec, dictionary);
        });
    }

    /** Every trace of the block in ID order, one row group in memory at a time. Close the stream when done. */
    public Stream<TraceRecord> traces() throws IOException {
        PageCodec codec = new PageCodec();
        Iterator<TraceRecord> rows = new Iterator<>() {
            private int group = -1;
            private long remaining;
            private ColumnCursor[] cursors;
            private TraceRowReader reader;

            @Override
            public boolean hasNext() {
                try {
                    while (remaining == 0) {
                        if (group + 1 >= rowGroups.size()) {
                            return false;
                        }
                        group++;
                        openGroup();
                    }
                    return true;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            private void openGroup() throws IOException {
                int[] columns = otlpColumns();
                try (DataFile.Reads reads = file.open()) {
                    ChunkLayout[] layout = layout(group, reads);
                    long[] offsets = new long[columns.length];
                    int[] lengths = new int[columns.length];
                    for (int i = 0; i < columns.length; i++) {
                        ChunkLayout chunk = layout[columns[i]];
                        offsets[i] = chunk.start();
                        lengths[i] = Math.toIntExact(chunk.end() - chunk.start());
                    }
                    CoalescedReads.Slice[] chunks = CoalescedReads.read(reads, offsets, lengths, file.coalesceGap());
                    cursors = new ColumnCursor[TraceColumns.COUNT];
                    for (int i = 0; i < columns.length; i++) {
                        CoalescedReads.Slice slice = chunks[i];
                        cursors[columns[i]] = chunkCursor(layout[columns[i]], slice.bytes(), slice.offset(), codec);
                    }
                }
                reader = rowReader(cursors);
                remaining = rowGroups.get(group).getRowCount();
            }

            @Override
            public TraceRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                remaining--;
                try {
                    for (int column : otlpColumns()) {
                        cursors[column].nextRow();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return reader.read();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(rows, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(codec::close);
    }

    // Column access for ColumnarSearch (same package): the scanner reads chunks and pages itself.

    DataFile dataFile() {
        return file;
    }

    long rowCount(int group) {
        return rowGroups.get(group).getRowCount();
    }

    /** The row group's chunks by position of {@link TraceColumns}; null where the block has no such column. */
    ChunkLayout[] layoutOf(int group, DataFile.Reads reads) throws IOException {
        return layout(group, reads);
    }

    /** The decoded dictionary of a column chunk, from the shared cache or decoded from its page at {@code raw[offset]}. */
    ByteArrayDictionary dictionaryOf(int group, int column, ChunkLayout chunk, byte[] raw, int offset, PageCodec codec)
            throws IOException {
        DictionaryKey key = new DictionaryKey(this, group, column);
        ByteArrayDictionary dictionary = DICTIONARIES.getIfPresent(key);
        if (dictionary == null) {
            dictionary = ColumnPage.decodeDictionary(chunk, raw, offset, chunk.dictionaryLength(), codec);
            DICTIONARIES.put(key, dictionary);
        }
        return dictionary;
    }

    /** The footer statistics of a column chunk (may be null or empty). */
    Statistics<?> statistics(int group, int column) {
        return rowGroups.get(group).getColumns().get(fileColumns[column]).getStatistics();
    }

    /** Whether every data page of a column chunk is dictionary-encoded, remembered per block once {@code check} said. */
    boolean allPagesDictionaryEncoded(int group, int column, ChunkCheck check) throws IOException {
        long key = (long) group * TraceColumns.COUNT + column;
        Boolean known = dictionaryEncodedChunks.get(key);
        if (known == null) {
            known = check.test();
            dictionaryEncodedChunks.put(key, known);
        }
        return known;
    }

    /** A test of a column chunk's pages. */
    interface ChunkCheck {
        boolean test() throws IOException;
    }

    /** The shared cache's decoded dictionary of a column chunk, or null. */
    ByteArrayDictionary cachedDictionary(int group, int column) {
        return DICTIONARIES.getIfPresent(new DictionaryKey(this, group, column));
    }

    /** Drops the block's cached dictionaries. Reads open and close their own file handles, so none is cut short. */
    @Override
    public void close() {
        DICTIONARIES.asMap().keySet().removeIf(key -> key.block() == this);
    }
}
