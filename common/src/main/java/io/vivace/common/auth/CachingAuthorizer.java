package io.vivace.common.auth;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Remembers authorization decisions: an allow for {@code allowTtl}, a deny for the shorter {@code denyTtl},
 * "unavailable" not at all. The key holds everything the decision depends on (user, uid, groups, extra,
 * action, tenant). Concurrent identical checks share one call to the wrapped authorizer.
 */
public final class CachingAuthorizer implements Authorizer {

    private record Key(String username, String uid, List<String> groups, Map<String, List<String>> extra, Action action,
                       String tenant) {
    }

    private final Authorizer delegate;
    private final SingleFlightCache<Key, Decision> cache;

    public CachingAuthorizer(Authorizer delegate, Duration allowTtl, Duration denyTtl, long maxEntries, Ticker ticker) {
        this.delegate = delegate;
        this.cache = new SingleFlightCache<>(maxEntries, ticker, decision -> switch (decision) {
            case Decision.Allow a -> allowTtl;
            case Decision.Deny d -> denyTtl;
            case Decision.Unavailable u -> Duration.ZERO;
        });
    }

    @Override
    public CompletableFuture<Decision> authorize(Principal principal, Action action, String tenant) {
        Key key = new Key(principal.username(), principal.uid(), List.copyOf(new TreeSet<>(principal.groups())),
                new TreeMap<>(principal.extra()), action, tenant);
        return cache.get(key, () -> delegate.authorize(principal, action, tenant));
    }

    long size() {
        return cache.size();
    }
}
