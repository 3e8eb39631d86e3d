package io.vivace.common.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vivace.common.tenant.TenantException;
import io.vivace.common.tenant.TenantResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-request check: bearer credential → {@link Authenticator} → tenant header ({@link TenantResolver} rules,
 * plus: no wildcard) → static-token grant → {@link Authorizer} for <em>every</em> tenant of the request. A
 * multi-tenant read {@code a|b} passes only if each tenant does; any deny wins over "unavailable".
 */
public final class AuthGate {

    private static final Logger log = LoggerFactory.getLogger(AuthGate.class);

    public sealed interface Outcome {
        /** Allowed: the caller and the validated tenants (sorted, de-duplicated) the handler must use. */
        record Granted(Principal principal, List<String> tenants) implements Outcome {
        }

        record Refused(AuthFailure failure) implements Outcome {
        }
    }

    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final TenantResolver tenants;
    private final MeterRegistry metrics;

    public AuthGate(Authenticator authenticator, Authorizer authorizer, TenantResolver tenants, MeterRegistry metrics) {
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.tenants = tenants;
        this.metrics = metrics;
    }

    public TenantResolver tenantResolver() {
        return tenants;
    }

    /**
     * @param authorizationValues every {@code Authorization} header value of the request
     * @param tenantValues        every {@code X-Scope-OrgID} header value of the request
     */
    public CompletableFuture<Outcome> check(Action action, List<String> authorizationValues, List<String> tenantValues) {
        BearerToken token;
        if (authorizationValues.isEmpty()) {
            return refused(action, AuthFailure.Kind.UNAUTHENTICATED, "missing bearer token");
        }
        if (authorizationValues.size() > 1) {
            return refused(action, AuthFailure.Kind.UNAUTHENTICATED, "more than one Authorization header");
        }
        String header = authorizationValues.getFirst().trim();
        if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            return refused(action, AuthFailure.Kind.UNAUTHENTICATED, "Authorization header is not 'Bearer <token>'");
        }
        token = new BearerToken(header.substring(7).trim());
        return authenticator.authenticate(token).thenCompose(result -> switch (result) {
            case AuthResult.Rejected r -> {
                log.debug("authentication refused ({}): {}", token, r.reason());
                yield refused(action, AuthFailure.Kind.UNAUTHENTICATED, "invalid bearer token: " + r.reason());
            }
            case AuthResult.Unavailable u -> {
                log.warn("authentication unavailable: {}", u.reason());
                yield refused(action, AuthFailure.Kind.UNAVAILABLE, "authentication is unavailable, retry later");
            }
            case AuthResult.Authenticated a -> authorize(a.principal(), action, tenantValues);
        });
    }

    private CompletableFuture<Outcome> authorize(Principal principal, Action action, List<String> tenantValues) {
        List<String> ids;
        try {
            ids = action == Action.WRITE ? List.of(tenants.resolveWrite(tenantValues)) : tenants.resolveRead(tenantValues);
        } catch (TenantException e) {
            return refused(action, e.kind() == TenantException.Kind.MISSING ? AuthFailure.Kind.UNAUTHENTICATED
                    : AuthFailure.Kind.BAD_REQUEST, e.getMessage());
        }
        for (String id : ids) {
            if (id.indexOf('*') >= 0) {
                return refused(action, AuthFailure.Kind.BAD_REQUEST, "tenant ID '" + id + "' is a wildcard; name one tenant");
            }
            if (principal.grant().isPresent() && !principal.grant().get().permits(action, id)) {
                log.debug("{} may not {} tenant {} (token grant)", principal.username(), action.label(), id);
                return refused(action, AuthFailure.Kind.FORBIDDEN, "forbidden for tenant " + id);
            }
        }
        List<CompletableFuture<Decision>> decisions = new ArrayList<>(ids.size());
        for (String id : ids) {
            decisions.add(authorizer.authorize(principal, action, id));
        }
        return CompletableFuture.allOf(decisions.toArray(CompletableFuture[]::new)).thenCompose(v -> {
            String unavailable = null;
            for (int i = 0; i < ids.size(); i++) {
                Decision d = decisions.get(i).join();
                if (d instanceof Decision.Deny deny) {
                    log.debug("{} may not {} tenant {}: {}", principal.username(), action.label(), ids.get(i), deny.reason());
                    return refused(action, AuthFailure.Kind.FORBIDDEN, "forbidden for tenant " + ids.get(i));
                }
                if (d instanceof Decision.Unavailable u) {
                    unavailable = u.reason();
                }
            }
            if (unavailable != null) {
                log.warn("authorization unavailable: {}", unavailable);
                return refused(action, AuthFailure.Kind.UNAVAILABLE, "authorization is unavailable, retry later");
            }
            count(action, "allowed");
            return CompletableFuture.completedFuture(new Outcome.Granted(principal, ids));
        });
    }

    private CompletableFuture<Outcome> refused(Action action, AuthFailure.Kind kind, String message) {
        count(action, kind.label());
        return CompletableFuture.completedFuture(new Outcome.Refused(new AuthFailure(kind, message)));
    }

    private void count(Action action, String result) {
        Counter.builder("vivace_auth_requests_total").description("Requests checked by authentication and authorization")
                .tag("action", action.label()).tag("result", result).register(metrics).increment();
    }
}
