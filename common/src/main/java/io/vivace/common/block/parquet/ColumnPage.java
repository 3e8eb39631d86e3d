package io.vivace.common.block.parquet;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DataPageHeaderV2;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.Util;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * One data page of one column (or its first rows), decoded: its repetition and definition levels, its values in a
 * typed array, and where each of its rows starts. Values are indexed by their position among the non-null entries.
 * Reads what {@link ColumnWriter} writes (data page v1 with RLE levels; PLAIN, RLE_DICTIONARY, DELTA_BINARY_PACKED,
 * DELTA_LENGTH_BYTE_ARRAY and BYTE_STREAM_SPLIT values) and what parquet-java's v2 writer wrote for earlier blocks
 * (data page v2; RLE booleans, DELTA_BYTE_ARRAY).
 */
public final class ColumnPage {

    final ColumnDescriptor column;
    final int entries;
    /** Per entry; null when the column's maximum level is 0 (every entry is then 0). */
    final byte[] rep;
    final byte[] def;
    final int values;
    final long[] longs;
    final double[] doubles;
    final boolean[] booleans;
    /** BYTE_ARRAY values: either dictionary ids, or start and length in {@link #bytes}. */
    final int[] ids;
    final ByteArrayDictionary dictionary;
    final byte[] bytes;
    final int[] starts;
    final int[] lengths;
    /** Entry index where each row starts, then {@link #entries}. */
    final int[] rowStarts;
    /** Value index where each row starts. */
    final int[] rowValueStarts;
    private final int rows;

    private ColumnPage(ColumnDescriptor column, int entries, byte[] rep, byte[] def, int values, long[] longs,
                       double[] doubles, boolean[] booleans, int[] ids, ByteArrayDictionary dictionary, byte[] bytes,
                       int[] starts, int[] lengths, int[] rowStarts, int[] rowValueStarts, int rows) {
        this.column = column;
        this.entries = entries;
        this.rep = rep;
        this.def = def;
        this.values = values;
        this.longs = longs;
        this.doubles = doubles;
        this.booleans = booleans;
        this.ids = ids;
        this.dictionary = dictionary;
        this.bytes = bytes;
        this.starts = starts;
        this.lengths = lengths;
        this.rowStarts = rowStarts;
        this.rowValueStarts = rowValueStarts;
        this.rows = rows;
    }

    public int rows() {
        return rows;
    }

    /**
     * Decodes a data page of {@code chunk} whose header starts at {@code raw[offset]}.
     *
     * @param dictionary the chunk's dictionary, or null when it has none
     */
    public static ColumnPage decode(ChunkLayout chunk, byte[] raw, int offset, int length, PageCodec codec,
                                    ByteArrayDictionary dictionary) throws IOException {
        return decode(chunk, raw, offset, length, codec, dictionary, Integer.MAX_VALUE);
    }

    /**
     * Decodes the first {@code rows} rows of a data page (all when it has fewer): a lookup of one row needs no
     * levels or values past it.
     */
    public static ColumnPage decode(ChunkLayout chunk, byte[] raw, int offset, int length, PageCodec codec,
                                    ByteArrayDictionary dictionary, int rows) throws IOException {
        ColumnDescriptor column = chunk.column();
        ByteArrayInputStream in = new ByteArrayInputStream(raw, offset, length);
        PageHeader header = Util.readPageHeader(in);
        int bodyAt = offset + length - in.available();
        int total;
        Encoding encoding;
        ByteReader repSection = null;
        ByteReader defSection = null;
        ByteReader values;
        int maxRep = column.getMaxRepetitionLevel();
        int maxDef = column.getMaxDefinitionLevel();
        if (header.getType() == PageType.DATA_PAGE) {
            DataPageHeader data = header.getData_page_header();
            total = data.getNum_values();
            encoding = data.getEncoding();
            byte[] body = new byte[header.getUncompressed_page_size()];
            codec.decompress(chunk.codec(), raw, bodyAt, header.getCompressed_page_size(), body, body.length);
            values = new ByteReader(body, 0, body.length);
            if (maxRep > 0) {
                repSection = levelSection(values, data.getRepetition_level_encoding(), column);
            }
            if (maxDef > 0) {
                defSection = levelSection(values, data.getDefinition_level_encoding(), column);
            }
        } else if (header.getType() == PageType.DATA_PAGE_V2) {
            // Blocks written before data page v1: levels stand uncompressed before the (compressed) values.
            DataPageHeaderV2 data = header.getData_page_header_v2();
            total = data.getNum_values();
            encoding = data.getEncoding();
            int repLength = data.getRepetition_levels_byte_length();
            int defLength = data.getDefinition_levels_byte_length();
            repSection = new ByteReader(raw, bodyAt, bodyAt + repLength);
            defSection = new ByteReader(raw, bodyAt + repLength, bodyAt + repLength + defLength);
            int valuesAt = bodyAt + repLength + defLength;
            byte[] body = new byte[header.getUncompressed_page_size() - repLength - defLength];
            int compressed = header.getCompressed_page_size() - repLength - defLength;
            if (!data.isSetIs_compressed() || data.isIs_compressed()) {
                codec.decompress(chunk.codec(), raw, valuesAt, compressed, body, body.length);
            } else {
                System.arraycopy(raw, valuesAt, body, 0, body.length);
            }
            values = new ByteReader(body, 0, body.length);
        } else {
            throw new IOException("column " + column + ": unsupported page type " + header.getType());
        }
        byte[] rep = null;
        int entries = Math.min(total, rows);
        if (maxRep > 0) {
            rep = new byte[total];
            entries = RleHybridDecoder.decodeLevels(repSection, bitWidth(maxRep), rep, total, rows);
        }
        byte[] def = null;
        if (maxDef > 0) {
            def = new byte[entries];
            RleHybridDecoder.decodeLevels(defSection, bitWidth(maxDef), def, entries);
        }
        // One pass for where rows start and how many values precede each.
        int[] rowStarts = new int[entries + 1];
        int[] rowValueStarts = new int[entries + 1];
        int rowCount = 0;
        int valueCount = 0;
        for (int i = 0; i < entries; i++) {
            if (rep == null || rep[i] == 0) {
                rowStarts[rowCount] = i;
                rowValueStarts[rowCount++] = valueCount;
            }
            if (def == null || def[i] == maxDef) {
                valueCount++;
            }
        }
        rowStarts[rowCount] = entries;
        rowValueStarts[rowCount] = valueCount;
        return values(column, entries, rep, def, valueCount, encoding, values, dictionary, rowStarts, rowValueStarts, rowCount);
    }

    private static int bitWidth(int maxLevel) {
        return 32 - Integer.numberOfLeadingZeros(maxLevel);
    }

    /** The RLE level section at the reader (4-byte length, then the levels); moves the reader past it. */
    private static ByteReader levelSection(ByteReader in, Encoding encoding, ColumnDescriptor column) throws IOException {
        if (encoding != Encoding.RLE) {
            throw new IOException("column " + column + ": unsupported level encoding " + encoding);
        }
        int length = in.readIntLE();
        in.check(length);
        ByteReader section = new ByteReader(in.bytes, in.pos, in.pos + length);
        in.pos += length;
        return section;
    }

    /** Whether the data page whose header starts at {@code raw[offset]} stores dictionary ids (read from its header). */
    public static boolean isDictionaryEncoded(byte[] raw, int offset, int length) throws IOException {
        PageHeader header = Util.readPageHeader(new ByteArrayInputStream(raw, offset, length));
        Encoding encoding = switch (header.getType()) {
            case DATA_PAGE -> header.getData_page_header().getEncoding();
            case DATA_PAGE_V2 -> header.getData_page_header_v2().getEncoding();
            default -> null;
        };
        return encoding == Encoding.RLE_DICTIONARY || encoding == Encoding.PLAIN_DICTIONARY;
    }

    /** Decodes the dictionary page of {@code chunk}, whose header starts at {@code raw[offset]}. */
    public static ByteArrayDictionary decodeDictionary(ChunkLayout chunk, byte[] raw, int offset, int length,
                                                       PageCodec codec) throws IOException {
        ColumnDescriptor column = chunk.column();
        ByteArrayInputStream in = new ByteArrayInputStream(raw, offset, length);
        PageHeader header = Util.readPageHeader(in);
        if (header.getType() != PageType.DICTIONARY_PAGE
                || column.getPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.BINARY) {
            throw new IOException("column " + column + ": expected a BYTE_ARRAY dictionary page, found " + header.getType());
        }
        Encoding encoding = header.getDictionary_page_header().getEncoding();
        if (encoding != Encoding.PLAIN && encoding != Encoding.PLAIN_DICTIONARY) {
            throw new IOException("column " + column + ": unsupported dictionary encoding " + encoding);
        }
        byte[] body = new byte[header.getUncompressed_page_size()];
        codec.decompress(chunk.codec(), raw, offset + length - in.available(), header.getCompressed_page_size(), body, body.length);
        return ByteArrayDictionary.ofPlain(body, header.getDictionary_page_header().getNum_values());
    }

    private static ColumnPage values(ColumnDescriptor column, int entries, byte[] rep, byte[] def, int values,
                                     Encoding encoding, ByteReader in, ByteArrayDictionary dictionary, int[] rowStarts,
                                     int[] rowValueStarts, int rows) throws IOException {
        PrimitiveTypeName type = column.getPrimitiveType().getPrimitiveTypeName();
        long[] longs = null;
        double[] doubles = null;
        boolean[] booleans = null;
        int[] ids = null;
        int[] starts = null;
        int[] lengths = null;
        byte[] bytes = in.bytes;
        switch (encoding) {
            case PLAIN -> {
                switch (type) {
                    case INT32 -> {
                        longs = new long[values];
                        in.check(4 * values);
                        for (int i = 0; i < values; i++) {
                            longs[i] = LittleEndian.getInt(in.bytes, in.pos + 4 * i);
                        }
                    }
                    case INT64 -> {
                        longs = new long[values];
                        in.check(8 * values);
                        for (int i = 0; i < values; i++) {
                            longs[i] = LittleEndian.getLong(in.bytes, in.pos + 8 * i);
                        }
                    }
                    case DOUBLE -> {
                        doubles = new double[values];
                        in.check(8 * values);
                        for (int i = 0; i < values; i++) {
                            doubles[i] = Double.longBitsToDouble(LittleEndian.getLong(in.bytes, in.pos + 8 * i));
                        }
                    }
                    case BOOLEAN -> {
                        booleans = new boolean[values];
                        in.check((values + 7) / 8);
                        for (int i = 0; i < values; i++) {
                            booleans[i] = (in.bytes[in.pos + (i >>> 3)] & (1 << (i & 7))) != 0;
                        }
                    }
                    case BINARY -> {
                        starts = new int[values];
                        lengths = new int[values];
                        for (int i = 0; i < values; i++) {
                            int length = in.readIntLE();
                            in.check(length);
                            starts[i] = in.pos;
                            lengths[i] = length;
                            in.pos += length;
                        }
                    }
                    default -> throw new IOException("column " + column + ": unsupported type " + type);
                }
            }
            case RLE_DICTIONARY, PLAIN_DICTIONARY -> {
                if (dictionary == null) {
                    throw new IOException("column " + column + ": dictionary-encoded page without a dictionary");
                }
                ids = new int[values];
                if (values > 0) {
                    int bitWidth = in.readByte();
                    RleHybridDecoder.decodeInts(in, bitWidth, ids, values);
                }
                for (int id : ids) {
                    if (id >= dictionary.size()) {
                        throw new IOException("column " + column + ": dictionary id " + id + " of " + dictionary.size());
                    }
                }
            }
            case DELTA_BINARY_PACKED -> {
                if (type != PrimitiveTypeName.INT32 && type != PrimitiveTypeName.INT64) {
                    throw new IOException("column " + column + ": DELTA_BINARY_PACKED on " + type);
                }
                longs = new long[values];
                DeltaBinaryPackedDecoder.decode(in, type == PrimitiveTypeName.INT32, longs, values);
            }
            case RLE -> {
                if (type != PrimitiveTypeName.BOOLEAN) {
                    throw new IOException("column " + column + ": RLE values on " + type);
                }
                int length = in.readIntLE();
                in.check(length);
                int[] bits = new int[values];
                RleHybridDecoder.decodeInts(new ByteReader(in.bytes, in.pos, in.pos + length), 1, bits, values);
                booleans = new boolean[values];
                for (int i = 0; i < values; i++) {
                    booleans[i] = bits[i] != 0;
                }
            }
            case DELTA_LENGTH_BYTE_ARRAY -> {
                if (type != PrimitiveTypeName.BINARY) {
                    throw new IOException("column " + column + ": DELTA_LENGTH_BYTE_ARRAY on " + type);
                }
                long[] valueLengths = DeltaBinaryPackedDecoder.decodeAll(in, true);
                if (valueLengths.length < values) {
                    throw new IOException("column " + column + ": " + valueLengths.length + " lengths for " + values + " values");
                }
                starts = new int[values];
                lengths = new int[values];
                for (int i = 0; i < values; i++) {
                    int length = (int) valueLengths[i];
                    if (length < 0) {
                        throw new IOException("column " + column + ": negative DELTA_LENGTH_BYTE_ARRAY length");
                    }
                    in.check(length);
                    starts[i] = in.pos;
                    lengths[i] = length;
                    in.pos += length;
                }
            }
            case BYTE_STREAM_SPLIT -> {
                int width = switch (type) {
                    case INT32 -> 4;
                    case INT64, DOUBLE -> 8;
                    default -> throw new IOException("column " + column + ": BYTE_STREAM_SPLIT on " + type);
                };
                // Byte k of every value stands in stream k; a partially decoded page still holds all streams.
                int total = in.remaining() / width;
                if (total < values) {
                    throw new IOException("column " + column + ": BYTE_STREAM_SPLIT of " + total + " values for " + values);
                }
                long[] bits = new long[values];
                for (int k = 0; k < width; k++) {
                    int stream = in.pos + k * total;
                    for (int i = 0; i < values; i++) {
                        bits[i] |= (in.bytes[stream + i] & 0xFFL) << (8 * k);
                    }
                }
                switch (type) {
                    case INT32 -> {
                        for (int i = 0; i < values; i++) {
                            bits[i] = (int) bits[i];
                        }
                        longs = bits;
                    }
                    case INT64 -> longs = bits;
                    default -> {
                        doubles = new double[values];
                        for (int i = 0; i < values; i++) {
                            doubles[i] = Double.longBitsToDouble(bits[i]);
                        }
                    }
                }
            }
            case DELTA_BYTE_ARRAY -> {
                // Each value is a prefix of the one before plus a suffix; rebuilt back to back in a new array.
                long[] prefixes = DeltaBinaryPackedDecoder.decodeAll(in, true);
                long[] suffixes = DeltaBinaryPackedDecoder.decodeAll(in, true);
                long size = 0;
                for (int i = 0; i < values; i++) {
                    size += prefixes[i] + suffixes[i];
                }
                bytes = new byte[Math.toIntExact(size)];
                starts = new int[values];
                lengths = new int[values];
                int at = 0;
                for (int i = 0; i < values; i++) {
                    int prefix = Math.toIntExact(prefixes[i]);
                    int suffix = Math.toIntExact(suffixes[i]);
                    if (prefix > 0 && (i == 0 || prefix > lengths[i - 1])) {
                        throw new IOException("column " + column + ": DELTA_BYTE_ARRAY prefix longer than the value before");
                    }
                    in.check(suffix);
                    if (prefix > 0) {
                        System.arraycopy(bytes, starts[i - 1], bytes, at, prefix);
                    }
                    System.arraycopy(in.bytes, in.pos, bytes, at + prefix, suffix);
                    in.pos += suffix;
                    starts[i] = at;
                    lengths[i] = prefix + suffix;
                    at += lengths[i];
                }
            }
            default -> throw new IOException("column " + column + ": unsupported encoding " + encoding);
        }
        return new ColumnPage(column, entries, rep, def, values, longs, doubles, booleans, ids,
                ids != null ? dictionary : null, bytes, starts, lengths, rowStarts, rowValueStarts, rows);
    }
}
