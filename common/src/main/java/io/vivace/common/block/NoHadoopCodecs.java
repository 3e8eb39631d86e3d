package io.vivace.common.block;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Parquet page compression without Hadoop: parquet's own codec factory loads Hadoop's codec classes, so this
 * one calls zstd-jni, snappy-java and {@code java.util.zip} directly. Stateless and thread-safe.
 * Formats are the ones the Parquet spec names: a zstd frame, raw (unframed) snappy, RFC 1952 gzip.
 */
final class NoHadoopCodecs implements CompressionCodecFactory {

    static final NoHadoopCodecs INSTANCE = new NoHadoopCodecs();

    /** zstd level 3: parquet-java's default, a good speed/size balance. */
    private static final int ZSTD_LEVEL = 3;

    private NoHadoopCodecs() {
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return new Compressor(supported(codec));
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return new Decompressor(supported(codec));
    }

    @Override
    public void release() {
    }

    private static CompressionCodecName supported(CompressionCodecName codec) {
        return switch (codec) {
            case UNCOMPRESSED, SNAPPY, GZIP, ZSTD -> codec;
            default -> throw new UnsupportedOperationException("compression codec not supported: " + codec);
        };
    }

    static byte[] compress(CompressionCodecName codec, byte[] input) throws IOException {
        return switch (codec) {
            case UNCOMPRESSED -> input;
            case ZSTD -> Zstd.compress(input, ZSTD_LEVEL);
            case SNAPPY -> Snappy.compress(input);
            case GZIP -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream(input.length / 2 + 64);
                try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
                    gzip.write(input);
                }
                yield out.toByteArray();
            }
            default -> throw new UnsupportedOperationException(codec.toString());
        };
    }

    static byte[] decompress(CompressionCodecName codec, byte[] input, int uncompressedSize) throws IOException {
        byte[] output = switch (codec) {
            case UNCOMPRESSED -> input;
            case ZSTD -> Zstd.decompress(input, uncompressedSize);
            case SNAPPY -> Snappy.uncompress(input);
            case GZIP -> {
                try (InputStream gzip = new GZIPInputStream(new ByteArrayInputStream(input))) {
                    yield gzip.readNBytes(uncompressedSize);
                }
            }
            default -> throw new UnsupportedOperationException(codec.toString());
        };
        if (output.length != uncompressedSize) {
            throw new IOException(codec + " page decompressed to " + output.length + " bytes, expected " + uncompressedSize);
        }
        return output;
    }

    private record Compressor(CompressionCodecName codec) implements BytesInputCompressor {
        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            return codec == CompressionCodecName.UNCOMPRESSED ? bytes : BytesInput.from(NoHadoopCodecs.compress(codec, bytes.toByteArray()));
        }

        @Override
        public CompressionCodecName getCodecName() {
            return codec;
        }

        @Override
        public void release() {
        }
    }

    private record Decompressor(CompressionCodecName codec) implements BytesInputDecompressor {
        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
            if (codec == CompressionCodecName.UNCOMPRESSED) {
                return bytes;
            }
            return BytesInput.from(NoHadoopCodecs.decompress(codec, bytes.toByteArray(), uncompressedSize));
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize) throws IOException {
            byte[] in = new byte[compressedSize];
            input.get(in);
            output.put(NoHadoopCodecs.decompress(codec, in, uncompressedSize));
        }

        @Override
        public void release() {
        }
    }
}
