package io.vivace.common.auth;

import java.util.concurrent.CompletableFuture;

/** Decides whether a principal may perform an action on one tenant. Never throws: failures are {@link Decision}s. */
public interface Authorizer {

    CompletableFuture<Decision> authorize(Principal principal, Action action, String tenant);
}
