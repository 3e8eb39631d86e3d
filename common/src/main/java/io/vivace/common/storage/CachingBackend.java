package io.vivace.common.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.vivace.common.config.VivaceConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A backend whose reads of block objects are served from memory when they were read before: bloom filter shards,
 * Parquet footers with column and offset indexes, and data-page ranges. Blocks are immutable once written, so
 * nothing expires; each cache is bounded by the bytes it holds (Caffeine, weighed by array length) and exports hit,
 * miss and eviction counts as {@code cache_gets_total{cache=...,result=hit|miss}} and
 * {@code cache_evictions_total{cache=...}}, and the bytes held as {@code cache_size_bytes{cache=...}}.
 * Metas, tenant indexes and listings always go to the store: they change.
 */
public final class CachingBackend implements Backend {

    /** What a ranged read of {@code data.parquet} is for; decides which cache holds it. */
    public enum RangeRole {
        /** The footer, column indexes and offset indexes: read by every block open and every row group visited. */
        FOOTER,
        /** Data and dictionary pages. */
        PAGE
    }

    /** Names of the caches in {@code /metrics}. */
    public static final String BLOOM = "vivace_bloom";
    public static final String PARQUET_FOOTER = "vivace_parquet_footer";
    public static final String PARQUET_PAGE = "vivace_parquet_page";

    private record RangeKey(String key, long offset, int length) {
    }

    private final Backend store;
    private final Cache<String, byte[]> blooms;
    private final Cache<RangeKey, byte[]> footers;
    private final Cache<RangeKey, byte[]> pages;
    private final long maxPageRead;

    public CachingBackend(Backend store, VivaceConfig.Cache config, MeterRegistry metrics) {
        this.store = store;
        this.blooms = cache(config.bloomBytes(), BLOOM, metrics);
        this.footers = cache(config.parquetFooterBytes(), PARQUET_FOOTER, metrics);
        this.pages = cache(config.parquetPageBytes(), PARQUET_PAGE, metrics);
        this.maxPageRead = config.parquetPageMaxReadBytes();
    }

    private static <K> Cache<K, byte[]> cache(long bytes, String name, MeterRegistry metrics) {
        Cache<K, byte[]> cache = Caffeine.newBuilder()
                .maximumWeight(bytes)
                .weigher((K key, byte[] value) -> value.length)
                .recordStats()
                .executor(Runnable::run) // evict in the reading thread: bounded at once, nothing queued elsewhere
                .build();
        CaffeineCacheMetrics.monitor(metrics, cache, name);
        Gauge.builder("cache.size.bytes", cache, c -> c.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L))
                .tag("cache", name).description("Bytes held by the cache").baseUnit("bytes").register(metrics);
        return cache;
    }

    /** The store's bytes for a read, from the cache when it holds them. */
    public byte[] readRange(String key, long offset, int length, RangeRole role) throws IOException {
        Cache<RangeKey, byte[]> cache = role == RangeRole.FOOTER ? footers : pages;
        if (role == RangeRole.PAGE && length > maxPageRead) {
            return store.readRange(key, offset, length);
        }
        return cached(cache, new RangeKey(key, offset, length), () -> store.readRange(key, offset, length));
    }

    /** A page range read before, or null (counted as a hit or a miss). */
    public byte[] cachedPage(String key, long offset, int length) {
        return length > maxPageRead ? null : pages.getIfPresent(new RangeKey(key, offset, length));
    }

    /** Keeps a page range read as part of a larger, uncached read; the caller must not modify {@code bytes} after. */
    public void rememberPage(String key, long offset, byte[] bytes) {
        if (bytes.length <= maxPageRead) {
            pages.put(new RangeKey(key, offset, bytes.length), bytes);
        }
    }

    /** The store below the caches. */
    public Backend store() {
        return store;
    }

    /** Ranged reads without a role are page reads. */
    @Override
    public byte[] readRange(String key, long offset, int length) throws IOException {
        return readRange(key, offset, length, RangeRole.PAGE);
    }

    @Override
    public byte[] read(String key) throws IOException {
        if (isBloom(key)) {
            return cached(blooms, key, () -> store.read(key));
        }
        return store.read(key);
    }

    private interface Load {
        byte[] get() throws IOException;
    }

    /** Callers must not modify the returned array: it is the cached one. */
    private static <K> byte[] cached(Cache<K, byte[]> cache, K key, Load load) throws IOException {
        try {
            return cache.get(key, k -> {
                try {
                    return load.get();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** A block written again under the same ID (a retried upload) must not be served from its old bytes. */
    private void forget(String key) {
        if (isBloom(key)) {
            blooms.invalidate(key);
        } else if (key.endsWith("/data.parquet")) {
            footers.asMap().keySet().removeIf(k -> k.key().equals(key));
            pages.asMap().keySet().removeIf(k -> k.key().equals(key));
        }
    }

    private static boolean isBloom(String key) {
        return key.substring(key.lastIndexOf('/') + 1).startsWith("bloom-");
    }

    /** Bloom shards are written through: a block just flushed or compacted is looked up without reading them back. */
    @Override
    public void write(String key, byte[] data) throws IOException {
        forget(key);
        store.write(key, data);
        forget(key);
        if (isBloom(key)) {
            blooms.put(key, data.clone());
        }
    }

    @Override
    public void writeFile(String key, Path source) throws IOException {
        forget(key);
        store.writeFile(key, source);
        forget(key);
    }

    @Override
    public long size(String key) throws IOException {
        return store.size(key);
    }

    @Override
    public boolean exists(String key) throws IOException {
        return store.exists(key);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        return store.list(prefix);
    }

    @Override
    public List<String> children(String prefix) throws IOException {
        return store.children(prefix);
    }

    @Override
    public void delete(String key) throws IOException {
        store.delete(key);
        forget(key);
    }

    @Override
    public void close() throws IOException {
        store.close();
    }

    @Override
    public String toString() {
        return "cached " + store;
    }
}
