package io.vivace.common.block.parquet;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Page compression and decompression without Hadoop, straight between byte arrays: zstd-jni, snappy-java and
 * {@code java.util.zip}. Formats are the ones the Parquet spec names: a zstd frame, raw (unframed) snappy, RFC 1952
 * gzip. One instance per thread: it keeps its zstd contexts, whose set-up costs more than compressing a small page.
 */
public final class PageCodec implements AutoCloseable {

    /**
     * zstd level 1, not parquet-java's 3: measured on block writing (BlockCpuProbe), level 3 costs about 2 µs more
     * CPU per span for 3% fewer bytes. The compactor writes at a higher level (docs/decisions/0701).
     */
    public static final int DEFAULT_ZSTD_LEVEL = 1;

    private final int zstdLevel;

    private ZstdCompressCtx zstdCompress;
    private ZstdDecompressCtx zstdDecompress;

    /** Compresses zstd at {@link #DEFAULT_ZSTD_LEVEL}. */
    public PageCodec() {
        this(DEFAULT_ZSTD_LEVEL);
    }

    public PageCodec(int zstdLevel) {
        this.zstdLevel = zstdLevel;
    }

    /** Fails for the codecs this class does not implement. */
    public static CompressionCodecName supported(CompressionCodecName codec) {
        return switch (codec) {
            case UNCOMPRESSED, SNAPPY, GZIP, ZSTD -> codec;
            default -> throw new UnsupportedOperationException("compression codec not supported: " + codec);
        };
    }

    /** Appends the compressed form of {@code src[offset, offset + length)} to {@code out}; returns its length. */
    public int compress(CompressionCodecName codec, byte[] src, int offset, int length, GrowableBytes out) {
        int start = out.size();
        try {
            switch (codec) {
                case UNCOMPRESSED -> out.writeBytes(src, offset, length);
                case ZSTD -> {
                    if (zstdCompress == null) {
                        zstdCompress = new ZstdCompressCtx().setLevel(zstdLevel);
                    }
                    int bound = (int) Zstd.compressBound(length);
                    out.ensure(bound);
                    int n = zstdCompress.compressByteArray(out.array(), start, bound, src, offset, length);
                    out.truncate(start + n);
                }
                case SNAPPY -> {
                    out.ensure(Snappy.maxCompressedLength(length));
                    int n = Snappy.compress(src, offset, length, out.array(), start);
                    out.truncate(start + n);
                }
                case GZIP -> {
                    ByteArrayOutputStream gzipped = new ByteArrayOutputStream(length / 2 + 64);
                    try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
                        gzip.write(src, offset, length);
                    }
                    byte[] bytes = gzipped.toByteArray();
                    out.writeBytes(bytes, 0, bytes.length);
                }
                default -> throw new UnsupportedOperationException("compression codec not supported: " + codec);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.size() - start;
    }

    /** Decompresses {@code src[offset, offset + length)} into {@code dst[0, uncompressedSize)}. */
    public void decompress(CompressionCodecName codec, byte[] src, int offset, int length, byte[] dst, int uncompressedSize)
            throws IOException {
        int n = switch (codec) {
            case UNCOMPRESSED -> {
                System.arraycopy(src, offset, dst, 0, Math.min(length, uncompressedSize));
                yield length;
            }
            case ZSTD -> {
                if (zstdDecompress == null) {
                    zstdDecompress = new ZstdDecompressCtx();
                }
                yield zstdDecompress.decompressByteArray(dst, 0, uncompressedSize, src, offset, length);
            }
            case SNAPPY -> Snappy.uncompress(src, offset, length, dst, 0);
            case GZIP -> {
                try (InputStream gzip = new GZIPInputStream(new ByteArrayInputStream(src, offset, length))) {
                    yield gzip.readNBytes(dst, 0, uncompressedSize);
                }
            }
            default -> throw new UnsupportedOperationException("compression codec not supported: " + codec);
        };
        if (n != uncompressedSize) {
            throw new IOException(codec + " page decompressed to " + n + " bytes, expected " + uncompressedSize);
        }
    }

    @Override
    public void close() {
        if (zstdCompress != null) {
            zstdCompress.close();
        }
        if (zstdDecompress != null) {
            zstdDecompress.close();
        }
    }
}
