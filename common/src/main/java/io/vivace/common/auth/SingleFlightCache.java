package io.vivace.common.auth;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A bounded cache of asynchronous results where concurrent misses for one key share a single load, and each
 * value decides its own lifetime ({@link Duration#ZERO}: not kept, e.g. "API server unavailable").
 */
final class SingleFlightCache<K, V> {

    private final AsyncCache<K, V> cache;

    SingleFlightCache(long maxEntries, Ticker ticker, Function<V, Duration> lifetime) {
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .ticker(ticker)
                .executor(Runnable::run)
                .expireAfter(new Expiry<K, V>() {
                    @Override
                    public long expireAfterCreate(K key, V value, long currentTime) {
                        Duration d = lifetime.apply(value);
                        return d.isNegative() ? 0 : d.toNanos();
                    }

                    @Override
                    public long expireAfterUpdate(K key, V value, long currentTime, long currentDuration) {
                        return expireAfterCreate(key, value, currentTime);
                    }

                    @Override
                    public long expireAfterRead(K key, V value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .buildAsync();
    }

    CompletableFuture<V> get(K key, Supplier<CompletableFuture<V>> loader) {
        return cache.get(key, (k, executor) -> loader.get());
    }

    /** Entries currently held (for tests and metrics). */
    long size() {
        cache.synchronous().cleanUp();
        return cache.synchronous().estimatedSize();
    }
}
