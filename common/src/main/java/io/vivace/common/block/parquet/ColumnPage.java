package io.vivace.common.block.parquet;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.Util;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * One data page of one column, decoded: its repetition and definition levels, its values in a typed array, and
 * where each of its rows starts. Values are indexed by their position among the page's non-null entries.
 * Reads what {@link ColumnWriter} writes: data page v1 with RLE levels; PLAIN, RLE_DICTIONARY (or PLAIN_DICTIONARY)
 * and DELTA_BINARY_PACKED values.
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

    private ColumnPage(ColumnDescriptor column, int entries, byte[] rep, byte[] def, int values, long[] longs,
                       double[] doubles, boolean[] booleans, int[] ids, ByteArrayDictionary dictionary, byte[] bytes,
                       int[] starts, int[] lengths) {
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
        this.rowStarts = rowStarts(rep, entries);
    }

    public int rows() {
        return rowStarts.length - 1;
    }

    public int entries() {
        return entries;
    }

    /**
     * Decodes a data page of {@code chunk} whose header starts at {@code raw[offset]}.
     *
     * @param dictionary the chunk's dictionary, or null when it has none
     */
    public static ColumnPage decode(ChunkLayout chunk, byte[] raw, int offset, int length, PageCodec codec,
                                    ByteArrayDictionary dictionary) throws IOException {
        ColumnDescriptor column = chunk.column();
        ByteArrayInputStream in = new ByteArrayInputStream(raw, offset, length);
        PageHeader header = Util.readPageHeader(in);
        if (header.getType() != PageType.DATA_PAGE) {
            throw new IOException("column " + column + ": unsupported page type " + header.getType());
        }
        int bodyAt = offset + length - in.available();
        byte[] body = new byte[header.getUncompressed_page_size()];
        codec.decompress(chunk.codec(), raw, bodyAt, header.getCompressed_page_size(), body, body.length);
        DataPageHeader data = header.getData_page_header();
        int entries = data.getNum_values();
        ByteReader reader = new ByteReader(body, 0, body.length);
        byte[] rep = levels(reader, column.getMaxRepetitionLevel(), entries, data.getRepetition_level_encoding(), column);
        byte[] def = levels(reader, column.getMaxDefinitionLevel(), entries, data.getDefinition_level_encoding(), column);
        int values = def == null ? entries : count(def, entries, (byte) column.getMaxDefinitionLevel());
        return values(column, entries, rep, def, values, data.getEncoding(), reader, dictionary);
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

    private static byte[] levels(ByteReader in, int maxLevel, int entries, Encoding encoding, ColumnDescriptor column) throws IOException {
        if (maxLevel == 0) {
            return null;
        }
        if (encoding != Encoding.RLE) {
            throw new IOException("column " + column + ": unsupported level encoding " + encoding);
        }
        int length = in.readIntLE();
        in.check(length);
        byte[] levels = new byte[entries];
        ByteReader section = new ByteReader(in.bytes, in.pos, in.pos + length);
        RleHybridDecoder.decodeLevels(section, 32 - Integer.numberOfLeadingZeros(maxLevel), levels, entries);
        in.pos += length;
        return levels;
    }

    private static ColumnPage values(ColumnDescriptor column, int entries, byte[] rep, byte[] def, int values,
                                     Encoding encoding, ByteReader in, ByteArrayDictionary dictionary) throws IOException {
        PrimitiveTypeName type = column.getPrimitiveType().getPrimitiveTypeName();
        long[] longs = null;
        double[] doubles = null;
        boolean[] booleans = null;
        int[] ids = null;
        int[] starts = null;
        int[] lengths = null;
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
            default -> throw new IOException("column " + column + ": unsupported encoding " + encoding);
        }
        return new ColumnPage(column, entries, rep, def, values, longs, doubles, booleans, ids,
                ids != null ? dictionary : null, in.bytes, starts, lengths);
    }

    private static int count(byte[] levels, int entries, byte level) {
        int n = 0;
        for (int i = 0; i < entries; i++) {
            if (levels[i] == level) {
                n++;
            }
        }
        return n;
    }

    private static int[] rowStarts(byte[] rep, int entries) {
        int rows = rep == null ? entries : count(rep, entries, (byte) 0);
        int[] starts = new int[rows + 1];
        int r = 0;
        for (int i = 0; i < entries; i++) {
            if (rep == null || rep[i] == 0) {
                starts[r++] = i;
            }
        }
        starts[rows] = entries;
        return starts;
    }
}
