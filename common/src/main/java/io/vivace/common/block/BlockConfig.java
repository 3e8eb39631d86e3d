package io.vivace.common.block;

import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * How blocks are written.
 *
 * @param rowGroupSizeBytes  target size of a row group; the writer holds about one row group in memory
 * @param pageSizeBytes      target size of a data page and of a dictionary page (before compression)
 * @param pageRowCountLimit  most rows (traces) in one page; small pages make a lookup read less
 * @param compression        page compression of every column
 * @param bloomFalsePositive target false-positive rate of the trace-ID bloom filter
 * @param bloomShardSizeBytes size of one bloom shard object, rounded up to a power of two (the filter format needs it)
 */
public record BlockConfig(long rowGroupSizeBytes, int pageSizeBytes, int pageRowCountLimit, Compression compression,
                          double bloomFalsePositive, int bloomShardSizeBytes) {

    public enum Compression {
        ZSTD(CompressionCodecName.ZSTD),
        SNAPPY(CompressionCodecName.SNAPPY),
        GZIP(CompressionCodecName.GZIP),
        UNCOMPRESSED(CompressionCodecName.UNCOMPRESSED);

        final CompressionCodecName parquet;

        Compression(CompressionCodecName parquet) {
            this.parquet = parquet;
        }
    }

    /**
     * Tempo's defaults where Tempo has one (100 MB row groups, fp 0.01, 100 KiB shards). Pages are small — 64 KiB or
     * 100 traces — because a lookup decompresses one data page of every column: with the parquet-java reader
     * ({@code BlockBenchmark}), 1000-trace 256 KiB pages cost 28 ms of CPU per lookup, these 9 ms.
     */
    public static final BlockConfig DEFAULT = new BlockConfig(100_000_000L, 64 * 1024, 100, Compression.ZSTD, 0.01, 100 * 1024);

    public BlockConfig {
        if (rowGroupSizeBytes <= 0 || pageSizeBytes <= 0 || pageRowCountLimit <= 0) {
            throw new IllegalArgumentException("row group size, page size and page row count limit must be positive");
        }
        if (!(bloomFalsePositive > 0 && bloomFalsePositive < 1)) {
            throw new IllegalArgumentException("bloom false-positive rate must be in (0, 1): " + bloomFalsePositive);
        }
        if (bloomShardSizeBytes < TraceIdBloom.MIN_SHARD_BYTES || bloomShardSizeBytes > TraceIdBloom.MAX_SHARD_BYTES) {
            throw new IllegalArgumentException("bloom shard size must be between " + TraceIdBloom.MIN_SHARD_BYTES
                    + " and " + TraceIdBloom.MAX_SHARD_BYTES + " bytes: " + bloomShardSizeBytes);
        }
        if (compression == null) {
            throw new IllegalArgumentException("compression is required");
        }
    }

    public BlockConfig withRowGroupSizeBytes(long bytes) {
        return new BlockConfig(bytes, pageSizeBytes, pageRowCountLimit, compression, bloomFalsePositive, bloomShardSizeBytes);
    }

    public BlockConfig withPageSizeBytes(int bytes) {
        return new BlockConfig(rowGroupSizeBytes, bytes, pageRowCountLimit, compression, bloomFalsePositive, bloomShardSizeBytes);
    }

    public BlockConfig withPageRowCountLimit(int rows) {
        return new BlockConfig(rowGroupSizeBytes, pageSizeBytes, rows, compression, bloomFalsePositive, bloomShardSizeBytes);
    }

    public BlockConfig withCompression(Compression codec) {
        return new BlockConfig(rowGroupSizeBytes, pageSizeBytes, pageRowCountLimit, codec, bloomFalsePositive, bloomShardSizeBytes);
    }

    public BlockConfig withBloom(double falsePositive, int shardSizeBytes) {
        return new BlockConfig(rowGroupSizeBytes, pageSizeBytes, pageRowCountLimit, compression, falsePositive, shardSizeBytes);
    }
}
