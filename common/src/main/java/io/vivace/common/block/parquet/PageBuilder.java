package io.vivace.common.block.parquet;

import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The scratch space every column writer of one file shares to turn its buffered page into bytes: the page body,
 * delta scratch, the codec. Column writers of one file run on one thread, one page at a time.
 */
final class PageBuilder {

    final PageCodec codec;
    final CompressionCodecName codecName;
    final int pageSizeBytes;
    final int pageRowCountLimit;
    final int pageMinEntryCount;
    final GrowableBytes body = new GrowableBytes(64 * 1024);
    final DeltaBinaryPackedEncoder delta = new DeltaBinaryPackedEncoder();
    /** Scratch for trying an encoding, and for compressing the trial. */
    final GrowableBytes trial = new GrowableBytes(16 * 1024);
    private final GrowableBytes trialCompressed = new GrowableBytes(16 * 1024);

    PageBuilder(PageCodec codec, CompressionCodecName codecName, int pageSizeBytes, int pageRowCountLimit, int pageMinEntryCount) {
        this.codec = codec;
        this.codecName = PageCodec.supported(codecName);
        this.pageSizeBytes = pageSizeBytes;
        this.pageRowCountLimit = pageRowCountLimit;
        this.pageMinEntryCount = pageMinEntryCount;
    }

    /**
     * Appends a data page v1 level section (4-byte little-endian length, then the RLE / bit-packed levels) and
     * returns the levels' histogram.
     */
    long[] levels(byte[] levels, int count, int maxLevel) {
        long[] histogram = new long[maxLevel + 1];
        int lengthAt = body.reserve(4);
        LevelEncoder.encode(levels, count, RleHybridEncoder.bitWidth(maxLevel), body, histogram);
        body.setIntLE(lengthAt, body.size() - lengthAt - 4);
        return histogram;
    }

    /** The compressed length of {@code bytes}. */
    int compressedSize(GrowableBytes bytes) {
        trialCompressed.reset();
        return codec.compress(codecName, bytes.array(), 0, bytes.size(), trialCompressed);
    }

    /** Appends the compressed {@code body} to {@code out}; returns the compressed length. */
    int compress(GrowableBytes body, GrowableBytes out) {
        return codec.compress(codecName, body.array(), 0, body.size(), out);
    }
}
