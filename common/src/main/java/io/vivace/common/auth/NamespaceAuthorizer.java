package io.vivace.common.auth;

import java.util.concurrent.CompletableFuture;

/**
 * "Tenant must equal the token's namespace": a service account may read and write only the tenant named like its
 * own namespace. Needs no RBAC objects and no API call; callers that are not service accounts are denied.
 */
public final class NamespaceAuthorizer implements Authorizer {

    @Override
    public CompletableFuture<Decision> authorize(Principal principal, Action action, String tenant) {
        Decision d = principal.namespace()
                .<Decision>map(ns -> ns.equals(tenant) ? Decision.ALLOW
                        : new Decision.Deny("namespace " + ns + " is not tenant " + tenant))
                .orElseGet(() -> new Decision.Deny(principal.username() + " is not a service account"));
        return CompletableFuture.completedFuture(d);
    }
}
