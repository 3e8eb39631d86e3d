package io.vivace.common.block.parquet;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.util.Arrays;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.statistics.BinaryStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;

/**
 * A BYTE_ARRAY column: DELTA_LENGTH_BYTE_ARRAY (IDs), PLAIN (strings), or RLE_DICTIONARY over a PLAIN dictionary page. A dictionary column falls back to
 * PLAIN for the rest of the chunk once its dictionary would outgrow the page size; the pages already written keep
 * the dictionary. Min and max compare bytes unsigned, the order of strings and of plain binary in Parquet.
 */
public final class BinaryColumnWriter extends ColumnWriter {

    private final BinaryDictionary dictionary;
    private boolean dictionaryEncoding;
    /** Whether a flushed page of this chunk uses the dictionary (then the chunk needs its dictionary page). */
    private boolean dictionaryUsed;
    private int[] ids;
    private final GrowableBytes plain = new GrowableBytes(256);
    private long unencodedBytes;
    private byte[] scratch = new byte[64];
    private long[] lengths = new long[64];
    /** Binary without a string annotation (IDs): DELTA_LENGTH_BYTE_ARRAY instead of PLAIN. */
    private final boolean deltaLength;
    private int[] seenInPage;
    private int pageNumber;

    BinaryColumnWriter(ColumnDescriptor column, PageBuilder pages, boolean dictionary) {
        super(column, pages);
        this.dictionary = dictionary ? new BinaryDictionary(pages.pageSizeBytes) : null;
        this.deltaLength = !dictionary && !(column.getPrimitiveType().getLogicalTypeAnnotation()
                instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation);
        this.dictionaryEncoding = dictionary;
        this.ids = dictionary ? new int[64] : null;
        this.seenInPage = dictionary ? new int[64] : null;
    }

    public void write(ByteString value, int rl) {
        int length = value.size();
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        value.copyTo(scratch, 0);
        write(scratch, 0, length, rl);
    }

    public void write(byte[] bytes, int offset, int length, int rl) {
        addValueLevels(rl);
        unencodedBytes += length;
        if (dictionaryEncoding) {
            int id = dictionary.idOf(bytes, offset, length);
            if (id >= 0) {
                if (values == ids.length) {
                    ids = Arrays.copyOf(ids, values * 2);
                }
                ids[values++] = id;
                return;
            }
            fallBackToPlain();
        }
        plain.writeIntLE(length);
        plain.writeBytes(bytes, offset, length);
        values++;
    }

    /** Re-encodes the open page's dictionary ids as PLAIN values; the rest of the chunk is PLAIN. */
    private void fallBackToPlain() {
        dictionaryEncoding = false;
        for (int i = 0; i < values; i++) {
            int id = ids[i];
            plain.writeIntLE(dictionary.length(id));
            plain.writeBytes(dictionary.data(), dictionary.start(id), dictionary.length(id));
        }
    }

    @Override
    Encoding encodeValues(GrowableBytes body) {
        if (!dictionaryEncoding) {
            if (!deltaLength) {
                body.writeBytes(plain.array(), 0, plain.size());
                return Encoding.PLAIN;
            }
            encodeDeltaLength(body);
            return Encoding.DELTA_LENGTH_BYTE_ARRAY;
        }
        dictionaryUsed = true;
        int bitWidth = Math.max(1, RleHybridEncoder.bitWidth(dictionary.size() - 1));
        body.writeByte(bitWidth);
        RleHybridEncoder.encode(ids, values, bitWidth, body);
        return Encoding.RLE_DICTIONARY;
    }

    /**
     * DELTA_LENGTH_BYTE_ARRAY: all lengths (delta-encoded, a few bits each when they are alike, as IDs are), then
     * the values back to back. PLAIN's 4-byte length before every value cost zstd about a byte per 8-byte span ID.
     * Strings stay PLAIN: there a repeated value and its length form one repeated sequence for zstd, where their
     * lengths of varied size delta-packed cost more (measured: +1.5 B/span on the generic string values).
     */
    private void encodeDeltaLength(GrowableBytes body) {
        if (lengths.length < values) {
            lengths = new long[Math.max(values, lengths.length * 2)];
        }
        byte[] bytes = plain.array();
        int at = 0;
        for (int i = 0; i < values; i++) {
            int length = LittleEndian.getInt(bytes, at);
            lengths[i] = length;
            at += 4 + length;
        }
        pages.delta.encode(lengths, values, true, body);
        at = 0;
        for (int i = 0; i < values; i++) {
            int length = (int) lengths[i];
            body.writeBytes(bytes, at + 4, length);
            at += 4 + length;
        }
    }

    @Override
    void addMinMax(Statistics<?> statistics) {
        if (dictionaryEncoding) {
            addDictionaryMinMax((BinaryStatistics) statistics);
            return;
        }
        byte[] bytes = plain.array();
        int minAt = 0;
        int maxAt = 0;
        for (int at = 0; at < plain.size(); at += 4 + LittleEndian.getInt(bytes, at)) {
            if (compare(bytes, at, bytes, minAt) < 0) {
                minAt = at;
            } else if (compare(bytes, at, bytes, maxAt) > 0) {
                maxAt = at;
            }
        }
        statistics.updateStats(lengthPrefixed(bytes, minAt));
        statistics.updateStats(lengthPrefixed(bytes, maxAt));
    }

    /** Compares each distinct id of the page once. */
    private void addDictionaryMinMax(BinaryStatistics statistics) {
        if (seenInPage.length < dictionary.size()) {
            seenInPage = Arrays.copyOf(seenInPage, Math.max(dictionary.size(), seenInPage.length * 2));
        }
        int mark = ++pageNumber;
        byte[] data = dictionary.data();
        int min = ids[0];
        int max = min;
        for (int i = 1; i < values; i++) {
            int id = ids[i];
            if (seenInPage[id] == mark) {
                continue;
            }
            seenInPage[id] = mark;
            if (compareEntries(data, id, min) < 0) {
                min = id;
            } else if (compareEntries(data, id, max) > 0) {
                max = id;
            }
        }
        statistics.updateStats(entry(min));
        statistics.updateStats(entry(max));
    }

    /** A copy: statistics keep their min and max past the dictionary's reuse. */
    private Binary entry(int id) {
        int start = dictionary.start(id);
        return Binary.fromConstantByteArray(Arrays.copyOfRange(dictionary.data(), start, start + dictionary.length(id)));
    }

    private int compareEntries(byte[] data, int a, int b) {
        return Arrays.compareUnsigned(data, dictionary.start(a), dictionary.start(a) + dictionary.length(a),
                data, dictionary.start(b), dictionary.start(b) + dictionary.length(b));
    }

    /** Compares two length-prefixed values. */
    private static int compare(byte[] a, int aAt, byte[] b, int bAt) {
        return Arrays.compareUnsigned(a, aAt + 4, aAt + 4 + LittleEndian.getInt(a, aAt),
                b, bAt + 4, bAt + 4 + LittleEndian.getInt(b, bAt));
    }

    private static Binary lengthPrefixed(byte[] bytes, int at) {
        return Binary.fromConstantByteArray(Arrays.copyOfRange(bytes, at + 4, at + 4 + LittleEndian.getInt(bytes, at)));
    }

    @Override
    int estimatedValueBytes() {
        if (dictionaryEncoding) {
            return (int) (((long) values * RleHybridEncoder.bitWidth(dictionary.size()) + 7) / 8);
        }
        return plain.size();
    }

    @Override
    long unencodedByteArrayBytes() {
        return unencodedBytes;
    }

    @Override
    void resetPage() {
        plain.reset();
        unencodedBytes = 0;
    }

    @Override
    int dictionaryBytes() {
        return dictionary == null ? 0 : dictionary.plainBytes();
    }

    @Override
    void writeDictionaryPage(ParquetFileWriter out) throws IOException {
        if (!dictionaryUsed) {
            return;
        }
        GrowableBytes body = pages.body;
        body.reset();
        dictionary.writePlain(body);
        GrowableBytes compressed = new GrowableBytes(body.size() / 2 + 64);
        pages.compress(body, compressed);
        out.writeDictionaryPage(new DictionaryPage(BytesInput.from(compressed.array(), 0, compressed.size()),
                body.size(), dictionary.size(), Encoding.PLAIN));
    }

    @Override
    void resetChunk() {
        if (dictionary != null) {
            dictionary.clear();
            dictionaryEncoding = true;
            dictionaryUsed = false;
        }
    }
}
