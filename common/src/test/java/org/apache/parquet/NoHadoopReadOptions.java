package org.apache.parquet;

import java.util.Map;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.format.converter.ParquetMetadataConverter;

/**
 * Read options that never touch Hadoop, for tests that read blocks with parquet-java's own reader. {@code ParquetReadOptions.builder()} creates Hadoop's codec factory in
 * its constructor (so {@code withCodecFactory} comes too late); this shim lives in parquet's package to reach the
 * package-private constructor instead. Works on the class path only, and the argument order is that of
 * parquet-java 1.18.1: re-check it on every parquet upgrade.
 */
public final class NoHadoopReadOptions {

    private NoHadoopReadOptions() {
    }

    /**
     * Options with the given codecs and record filter. Only the page-index (column index) filter is enabled:
     * row groups are chosen by the caller, and records are not filtered one by one.
     */
    public static ParquetReadOptions create(CompressionCodecFactory codecs, FilterCompat.Filter filter) {
        return new ParquetReadOptions(
                false, // useSignedStringMinMax
                false, // useStatsFilter
                false, // useDictionaryFilter
                false, // useRecordFilter
                true, // useColumnIndexFilter
                false, // usePageChecksumVerification
                false, // useBloomFilter
                false, // useOffHeapDecryptBuffer
                false, // useHadoopVectoredIo
                filter,
                ParquetMetadataConverter.NO_FILTER,
                codecs,
                new HeapByteBufferAllocator(),
                8 << 20, // maxAllocationSize
                Map.of(),
                null, // fileDecryptionProperties
                null, // metricsCallback
                new PlainParquetConfiguration());
    }
}
