package io.vivace.common.auth;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Remembers authentication results by the token's SHA-256 (never the token): a valid token for {@code ttl}, but
 * never past its own expiry; a rejected one for {@code negativeTtl}; "unavailable" not at all. Concurrent
 * checks of the same token share one call to the wrapped authenticator.
 */
public final class CachingAuthenticator implements Authenticator {

    private final Authenticator delegate;
    private final SingleFlightCache<String, AuthResult> cache;

    public CachingAuthenticator(Authenticator delegate, Duration ttl, Duration negativeTtl, long maxEntries, Clock clock,
                                Ticker ticker) {
        this.delegate = delegate;
        this.cache = new SingleFlightCache<>(maxEntries, ticker, result -> switch (result) {
            case AuthResult.Authenticated a -> a.principal().expiresAt()
                    .map(exp -> min(ttl, Duration.between(Instant.now(clock), exp)))
                    .orElse(ttl);
            case AuthResult.Rejected r -> negativeTtl;
            case AuthResult.Unavailable u -> Duration.ZERO;
        });
    }

    @Override
    public CompletableFuture<AuthResult> authenticate(BearerToken token) {
        return cache.get(token.digestHex(), () -> delegate.authenticate(token));
    }

    long size() {
        return cache.size();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
