package io.vivace.common.auth;

import java.util.concurrent.CompletableFuture;

/** Every authenticated caller may read and write every tenant (static-token grants still apply, see {@link AuthGate}). */
public final class AllowAllAuthorizer implements Authorizer {

    @Override
    public CompletableFuture<Decision> authorize(Principal principal, Action action, String tenant) {
        return CompletableFuture.completedFuture(Decision.ALLOW);
    }
}
