package io.vivace.common.auth;

import java.util.concurrent.CompletableFuture;

/** Checks a bearer credential. Implementations never throw: failures are {@link AuthResult} values. */
public interface Authenticator {

    CompletableFuture<AuthResult> authenticate(BearerToken token);
}
