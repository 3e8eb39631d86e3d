package io.vivace.common.block.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.parquet.NoHadoopReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What {@link ColumnFileWriter} writes is ordinary Parquet: parquet-java's own column readers see exactly the
 * entries (levels and values) that {@link ColumnPage} decodes, and every chunk has statistics, a column index and
 * an offset index that agree with its pages.
 */
class ParquetJavaReadsWhatWeWriteTest {

    private static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message Row {
              required binary id;
              required int64 signed64;
              required int64 unsigned64 (INTEGER(64,false));
              required int32 unsigned32 (INTEGER(32,false));
              optional double real;
              required group items (LIST) {
                repeated group list {
                  required group element {
                    required binary name (STRING);
                    required boolean flag;
                    required group numbers (LIST) {
                      repeated group list {
                        required int32 element;
                      }
                    }
                  }
                }
              }
              required int64 duration;
              optional int32 offset32;
            }
            """);
    private static final int ROWS = 3_000;
    private static final int PAGE_ROWS = 50;
    private static final int PAGE_MIN_ENTRIES = 100;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = CompressionCodecName.class, names = {"UNCOMPRESSED", "SNAPPY", "GZIP", "ZSTD"})
    void parquetJavaSeesTheEntriesWeDecode(CompressionCodecName codec) throws IOException {
        Path file = write(codec, 4 * 1024);
        try (ParquetFileReader reader = new ParquetFileReader(new LocalInputFile(file),
                NoHadoopReadOptions.create(new PageCodecDecompressors(), FilterCompat.NOOP))) {
            assertTrue(reader.getFooter().getBlocks().size() > 1, "several row groups");
            for (int g = 0; g < reader.getFooter().getBlocks().size(); g++) {
                BlockMetaData group = reader.getFooter().getBlocks().get(g);
                List<List<Object>> ours = ourEntries(file, group);
                PageReadStore pages = reader.readRowGroup(g);
                ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, ignoring(SCHEMA), SCHEMA,
                        reader.getFooter().getFileMetaData().getCreatedBy());
                for (int c = 0; c < SCHEMA.getColumns().size(); c++) {
                    ColumnDescriptor column = SCHEMA.getColumns().get(c);
                    assertEquals(ours.get(c), theirEntries(store.getColumnReader(column), column), "column " + column + ", group " + g);
                    ColumnChunkMetaData chunk = group.getColumns().get(c);
                    assertNotNull(chunk.getStatistics(), "statistics of " + column);
                    ColumnIndex index = reader.readColumnIndex(chunk);
                    assertNotNull(index, "column index of " + column);
                    assertEquals(reader.readOffsetIndex(chunk).getPageCount(), index.getMinValues().size());
                }
            }
        }
    }

    @Test
    void aPageClosesAtItsRowLimitOnlyOnceItHoldsTheMinimumEntries() throws IOException {
        Path file = write(CompressionCodecName.ZSTD, 1 << 20);
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        try (ParquetFileReader reader = new ParquetFileReader(new LocalInputFile(file),
                NoHadoopReadOptions.create(new PageCodecDecompressors(), FilterCompat.NOOP));
             PageCodec codec = new PageCodec()) {
            BlockMetaData group = reader.getFooter().getBlocks().getFirst();
            ChunkLayout[] layouts = ChunkLayout.ofRowGroup(group, SCHEMA.getColumns(),
                    (offset, length) -> Arrays.copyOfRange(bytes, (int) offset, (int) offset + length));
            for (ChunkLayout chunk : layouts) {
                ByteArrayDictionary dictionary = chunk.dictionaryLength() > 0
                        ? ColumnPage.decodeDictionary(chunk, bytes, (int) chunk.dictionaryOffset(), chunk.dictionaryLength(), codec)
                        : null;
                for (int p = 0; p < chunk.pageCount() - 1; p++) {
                    ColumnPage page = ColumnPage.decode(chunk, bytes, (int) chunk.pageOffsets()[p], chunk.pageLengths()[p], codec, dictionary);
                    String where = chunk.column() + " page " + p;
                    assertTrue(page.rows() >= PAGE_ROWS, where + ": " + page.rows() + " rows");
                    assertTrue(page.entries >= PAGE_MIN_ENTRIES, where + ": " + page.entries + " entries");
                }
            }
            // One entry per row: the ID column's pages close at the first row with enough entries.
            assertEquals(PAGE_MIN_ENTRIES, layouts[0].firstRows()[1]);
        }
    }

    @Test
    void integersRandomBelowTheirTopBytesAreByteStreamSplit() throws IOException {
        Path file = write(CompressionCodecName.ZSTD, 64 * 1024);
        try (ParquetFileReader reader = new ParquetFileReader(new LocalInputFile(file),
                NoHadoopReadOptions.create(new PageCodecDecompressors(), FilterCompat.NOOP))) {
            for (BlockMetaData group : reader.getFooter().getBlocks()) {
                for (int c : new int[] {8, 9}) {
                    assertTrue(group.getColumns().get(c).getEncodings().contains(Encoding.BYTE_STREAM_SPLIT),
                            "encodings of " + group.getColumns().get(c).getPath() + ": " + group.getColumns().get(c).getEncodings());
                }
            }
        }
    }

    @Test
    void pageMinAndMaxOfTheSortedColumnAreItsFirstAndLastValues() throws IOException {
        Path file = write(CompressionCodecName.ZSTD, 64 * 1024);
        try (ParquetFileReader reader = new ParquetFileReader(new LocalInputFile(file),
                NoHadoopReadOptions.create(new PageCodecDecompressors(), FilterCompat.NOOP))) {
            BlockMetaData group = reader.getFooter().getBlocks().getFirst();
            ColumnIndex index = reader.readColumnIndex(group.getColumns().getFirst());
            List<List<Object>> ids = pagesOfFirstColumn(file, group);
            assertEquals(ids.size(), index.getMinValues().size());
            for (int p = 0; p < ids.size(); p++) {
                assertEquals(ids.get(p).getFirst(), toList(index.getMinValues().get(p)));
                assertEquals(ids.get(p).getLast(), toList(index.getMaxValues().get(p)));
            }
        }
    }

    /** Rows with ascending 8-byte big-endian IDs, ints of both signs at the extremes, nulls, empty and nested lists. */
    private Path write(CompressionCodecName codec, long rowGroupBytes) throws IOException {
        Path file = dir.resolve("rows-" + codec + "-" + rowGroupBytes + ".parquet");
        Random random = new Random(17);
        long[] extremes = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE};
        try (ColumnFileWriter writer = new ColumnFileWriter(new LocalOutputFile(file), SCHEMA,
                Set.of("items.list.element.name"), rowGroupBytes, 2048, PAGE_ROWS, PAGE_MIN_ENTRIES, codec,
                PageCodec.DEFAULT_ZSTD_LEVEL, Map.of("k", "v"))) {
            for (int row = 0; row < ROWS; row++) {
                ByteBuffer id = ByteBuffer.allocate(8).putLong(row * 7919L);
                ((BinaryColumnWriter) writer.column(0)).write(id.array(), 0, 8, 0);
                ((LongColumnWriter) writer.column(1)).write(random.nextInt(4) == 0 ? extremes[random.nextInt(5)] : random.nextLong() >> random.nextInt(64), 0);
                ((LongColumnWriter) writer.column(2)).write(random.nextInt(4) == 0 ? extremes[random.nextInt(5)] : random.nextInt(1000), 0);
                ((LongColumnWriter) writer.column(3)).write(random.nextInt(3) == 0 ? -1 - random.nextInt(5) : random.nextInt(100), 0);
                if (random.nextInt(3) == 0) {
                    writer.column(4).writeNull(0, 0);
                } else {
                    ((DoubleColumnWriter) writer.column(4)).write(random.nextInt(10) == 0 ? Double.NaN : random.nextGaussian(), 0);
                }
                int items = random.nextInt(4);
                if (items == 0) {
                    for (int c = 5; c < 8; c++) {
                        writer.column(c).writeNull(0, 0);
                    }
                }
                for (int i = 0; i < items; i++) {
                    int rl = i == 0 ? 0 : 1;
                    byte[] name = ("name-" + random.nextInt(random.nextBoolean() ? 5 : 5000)).getBytes(StandardCharsets.UTF_8);
                    ((BinaryColumnWriter) writer.column(5)).write(name, 0, name.length, rl);
                    ((BooleanColumnWriter) writer.column(6)).write(random.nextBoolean(), rl);
                    int numbers = random.nextInt(3);
                    if (numbers == 0) {
                        writer.column(7).writeNull(rl, 1);
                    }
                    for (int n = 0; n < numbers; n++) {
                        ((LongColumnWriter) writer.column(7)).write(random.nextInt(), n == 0 ? rl : 2);
                    }
                }
                // Random below their top bytes, as durations are: the writer's trial picks BYTE_STREAM_SPLIT.
                ((LongColumnWriter) writer.column(8)).write(random.nextLong(2_000_000_000L), 0);
                if (random.nextInt(5) == 0) {
                    writer.column(9).writeNull(0, 0);
                } else {
                    ((LongColumnWriter) writer.column(9)).write(random.nextInt(4) << 24 | random.nextInt(1 << 16), 0);
                }
                writer.endRow();
            }
        }
        return file;
    }

    /** Per column, every entry as [rep, def, value or null], decoded by ColumnPage. */
    private static List<List<Object>> ourEntries(Path file, BlockMetaData group) throws IOException {
        List<List<Object>> columns = new ArrayList<>();
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        ChunkLayout[] layouts = ChunkLayout.ofRowGroup(group, SCHEMA.getColumns(),
                (offset, length) -> Arrays.copyOfRange(bytes, (int) offset, (int) offset + length));
        try (PageCodec codec = new PageCodec()) {
            for (ChunkLayout chunk : layouts) {
                ByteArrayDictionary dictionary = chunk.dictionaryLength() > 0
                        ? ColumnPage.decodeDictionary(chunk, bytes, (int) chunk.dictionaryOffset(), chunk.dictionaryLength(), codec)
                        : null;
                List<Object> entries = new ArrayList<>();
                for (int p = 0; p < chunk.pageCount(); p++) {
                    ColumnPage page = ColumnPage.decode(chunk, bytes, (int) chunk.pageOffsets()[p], chunk.pageLengths()[p], codec, dictionary);
                    int value = 0;
                    for (int e = 0; e < page.entries; e++) {
                        int rep = page.rep == null ? 0 : page.rep[e];
                        int def = page.def == null ? 0 : page.def[e];
                        Object v = def == chunk.column().getMaxDefinitionLevel() ? valueOf(page, value++) : null;
                        entries.add(List.of(rep, def, v == null ? "null" : v));
                    }
                }
                columns.add(entries);
            }
        }
        return columns;
    }

    private static List<List<Object>> pagesOfFirstColumn(Path file, BlockMetaData group) throws IOException {
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        ChunkLayout chunk = ChunkLayout.ofRowGroup(group, SCHEMA.getColumns(),
                (offset, length) -> Arrays.copyOfRange(bytes, (int) offset, (int) offset + length))[0];
        List<List<Object>> pages = new ArrayList<>();
        try (PageCodec codec = new PageCodec()) {
            for (int p = 0; p < chunk.pageCount(); p++) {
                ColumnPage page = ColumnPage.decode(chunk, bytes, (int) chunk.pageOffsets()[p], chunk.pageLengths()[p], codec, null);
                List<Object> values = new ArrayList<>();
                for (int v = 0; v < page.values; v++) {
                    values.add(valueOf(page, v));
                }
                pages.add(values);
            }
        }
        return pages;
    }

    private static Object valueOf(ColumnPage page, int v) {
        return switch (page.column.getPrimitiveType().getPrimitiveTypeName()) {
            case INT64 -> page.longs[v];
            case INT32 -> (int) page.longs[v];
            case DOUBLE -> page.doubles[v];
            case BOOLEAN -> page.booleans[v];
            case BINARY -> page.ids != null
                    ? toList(ByteBuffer.wrap(page.dictionary.data(), page.dictionary.start(page.ids[v]), page.dictionary.length(page.ids[v])))
                    : toList(ByteBuffer.wrap(page.bytes, page.starts[v], page.lengths[v]));
            default -> throw new IllegalStateException();
        };
    }

    private static List<Object> theirEntries(ColumnReader reader, ColumnDescriptor column) {
        List<Object> entries = new ArrayList<>();
        for (long i = 0; i < reader.getTotalValueCount(); i++) {
            int def = reader.getCurrentDefinitionLevel();
            Object value = "null";
            if (def == column.getMaxDefinitionLevel()) {
                value = switch (column.getPrimitiveType().getPrimitiveTypeName()) {
                    case INT64 -> reader.getLong();
                    case INT32 -> reader.getInteger();
                    case DOUBLE -> reader.getDouble();
                    case BOOLEAN -> reader.getBoolean();
                    case BINARY -> toList(reader.getBinary().toByteBuffer());
                    default -> throw new IllegalStateException();
                };
            }
            entries.add(List.of(reader.getCurrentRepetitionLevel(), def, value));
            reader.consume();
        }
        return entries;
    }

    private static List<Object> toList(ByteBuffer bytes) {
        List<Object> list = new ArrayList<>();
        while (bytes.hasRemaining()) {
            list.add(bytes.get());
        }
        return list;
    }

    /** Converters that accept anything: parquet's column readers need a tree of them. */
    private static GroupConverter ignoring(GroupType type) {
        Converter[] children = type.getFields().stream()
                .map(field -> field.isPrimitive() ? new PrimitiveConverter() {
                    @Override
                    public void addBinary(Binary value) {
                    }

                    @Override
                    public void addBoolean(boolean value) {
                    }

                    @Override
                    public void addDouble(double value) {
                    }

                    @Override
                    public void addInt(int value) {
                    }

                    @Override
                    public void addLong(long value) {
                    }
                } : (Converter) ignoring(field.asGroupType()))
                .toArray(Converter[]::new);
        return new GroupConverter() {
            @Override
            public Converter getConverter(int fieldIndex) {
                return children[fieldIndex];
            }

            @Override
            public void start() {
            }

            @Override
            public void end() {
            }
        };
    }
}
