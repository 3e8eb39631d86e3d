package io.vivace.common.auth;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verification keys of a token issuer, fetched from a JWKS source and kept in memory. Keys are fetched again
 * after {@code refreshPeriod}, or earlier when a token names a key that is not known (key rotation), but never more
 * often than once per {@code minRefetchInterval}. While the source is unreachable the keys already held keep
 * working; with no keys at all the answer is "unavailable". Concurrent fetches are merged into one.
 */
final class JwksCache {

    private static final Logger log = LoggerFactory.getLogger(JwksCache.class);

    sealed interface Lookup {
        record Found(List<JWK> keys) implements Lookup {
        }

        record Unknown() implements Lookup {
        }

        record Unavailable(String reason) implements Lookup {
        }
    }

    private final Supplier<CompletableFuture<JWKSet>> source;
    private final long refreshNanos;
    private final long minRefetchNanos;
    private final LongSupplier nanoTime;
    private JWKSet keys;
    private long fetchedAt;
    private long lastAttempt;
    private boolean attempted;
    private CompletableFuture<JWKSet> inflight;
    private int fetches;

    JwksCache(Supplier<CompletableFuture<JWKSet>> source, Duration refreshPeriod, Duration minRefetchInterval,
              LongSupplier nanoTime) {
        this.source = source;
        this.refreshNanos = refreshPeriod.toNanos();
        this.minRefetchNanos = minRefetchInterval.toNanos();
        this.nanoTime = nanoTime;
    }

    /** The keys that may have signed a token with this header. */
    CompletableFuture<Lookup> find(JWSHeader header) {
        JWKSelector selector = new JWKSelector(JWKMatcher.forJWSHeader(header));
        CompletableFuture<JWKSet> fetch;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            List<JWK> held = keys == null ? List.of() : selector.select(keys);
            boolean fresh = keys != null && now - fetchedAt < refreshNanos;
            boolean mayFetch = !attempted || now - lastAttempt >= minRefetchNanos;
            if (!held.isEmpty() && (fresh || !mayFetch)) {
                return CompletableFuture.completedFuture(new Lookup.Found(held));
            }
            if (!mayFetch && inflight == null) {
                return CompletableFuture.completedFuture(keys == null
                        ? new Lookup.Unavailable("no signing keys could be fetched yet") : new Lookup.Unknown());
            }
            fetch = startFetch(now);
        }
        return fetch.handle((set, error) -> {
            synchronized (this) {
                if (keys != null) {
                    List<JWK> found = selector.select(keys);
                    if (!found.isEmpty()) {
                        return new Lookup.Found(found);
                    }
                }
                if (error != null) {
                    return new Lookup.Unavailable("signing keys cannot be fetched: " + rootMessage(error));
                }
                return new Lookup.Unknown();
            }
        });
    }

    private CompletableFuture<JWKSet> startFetch(long now) {
        if (inflight != null) {
            return inflight;
        }
        attempted = true;
        lastAttempt = now;
        fetches++;
        CompletableFuture<JWKSet> f;
        try {
            f = source.get();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<JWKSet> tracked = f.whenComplete((set, error) -> {
            synchronized (this) {
                inflight = null;
                if (error == null && set != null) {
                    keys = set;
                    fetchedAt = nanoTime.getAsLong();
                } else if (error != null) {
                    log.warn("fetching signing keys failed{}: {}", keys == null ? "" : " (keeping the keys held)", rootMessage(error));
                }
            }
        });
        if (!tracked.isDone()) {
            inflight = tracked;
        }
        return tracked;
    }

    synchronized int fetches() {
        return fetches;
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return String.valueOf(e.getMessage());
    }
}
