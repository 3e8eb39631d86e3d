package io.vivace.common.block;

import io.vivace.common.model.TraceId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.parquet.column.values.bloomfilter.BlockSplitBloomFilter;
import org.apache.parquet.io.api.Binary;

/**
 * The block's trace-ID bloom filter, split into shards so a lookup reads one small object.
 *
 * <p>Shard choice is Tempo's: FNV-1 (not 1a) 32-bit over the 16 ID bytes, unsigned, modulo the shard count.
 * Each shard is a Parquet split-block bloom filter (the Parquet spec's SBBF: XXH64 of the 16 ID bytes, 256-bit
 * blocks, 8 bits set per ID); a shard object is the bare bitset, whose size is a power of two.
 */
final class TraceIdBloom {

    static final int MIN_SHARD_BYTES = 32;
    static final int MAX_SHARD_BYTES = 16 << 20;
    /** Tempo's cap; past it the false-positive rate rises instead. */
    static final int MAX_SHARDS = 1000;

    private TraceIdBloom() {
    }

    /** The shard size actually used: the configured size rounded up to a power of two. */
    static int shardBytes(int configured) {
        int rounded = Integer.highestOneBit(configured);
        return rounded == configured ? configured : rounded << 1;
    }

    /** Enough shards of {@code shardBytes} to hold {@code traces} IDs at {@code falsePositive}. */
    static int shardCount(long traces, double falsePositive, int shardBytes) {
        // SBBF sizing: with 8 bits set per key, fpp ≈ (1 - e^(-8n/m))^8, so m = -8n / ln(1 - fpp^(1/8)).
        double bits = -8.0 * traces / Math.log(1 - Math.pow(falsePositive, 1.0 / 8));
        long shards = (long) Math.ceil(bits / (shardBytes * 8.0));
        return (int) Math.max(1, Math.min(MAX_SHARDS, shards));
    }

    static int shardOf(TraceId id, int shardCount) {
        return Integer.remainderUnsigned(fnv1(id.toBytes()), shardCount);
    }

    /** FNV-1 32-bit: multiply, then xor (FNV-1a does it the other way round). */
    static int fnv1(byte[] data) {
        int hash = 0x811C9DC5;
        for (byte b : data) {
            hash *= 0x01000193;
            hash ^= b & 0xFF;
        }
        return hash;
    }

    static long hash(BlockSplitBloomFilter filter, TraceId id) {
        return filter.hash(Binary.fromConstantByteArray(id.toBytes()));
    }

    /** Builds every shard in memory (shard count × shard size bytes), then serialises them one by one. */
    static final class Builder {
        private final BlockSplitBloomFilter[] shards;

        Builder(int shardCount, int shardBytes) {
            shards = new BlockSplitBloomFilter[shardCount];
            for (int i = 0; i < shardCount; i++) {
                shards[i] = new BlockSplitBloomFilter(shardBytes);
            }
        }

        int shardCount() {
            return shards.length;
        }

        void add(TraceId id) {
            BlockSplitBloomFilter shard = shards[shardOf(id, shards.length)];
            shard.insertHash(hash(shard, id));
        }

        byte[] serialize(int shard) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(shards[shard].getBitsetSize());
            try {
                shards[shard].writeTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }
    }

    /** One shard read back from its object. */
    static final class Shard {
        private final BlockSplitBloomFilter filter;

        Shard(byte[] bitset) {
            if (bitset.length < MIN_SHARD_BYTES || Integer.bitCount(bitset.length) != 1) {
                throw new IllegalArgumentException("bloom shard of " + bitset.length + " bytes is not a power of two >= " + MIN_SHARD_BYTES);
            }
            filter = new BlockSplitBloomFilter(bitset);
        }

        boolean mightContain(TraceId id) {
            return filter.findHash(hash(filter, id));
        }
    }
}
