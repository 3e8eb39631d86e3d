package io.vivace.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vivace.common.tenant.TenantResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The request-level decision table, with in-memory authenticators and authorizers. */
class AuthGateTest {

    /** token "a" = service account of namespace a, "b" likewise; "down" = API server unreachable. */
    static final Authenticator SERVICE_ACCOUNTS = token -> CompletableFuture.completedFuture(switch (token.value()) {
        case "down" -> new AuthResult.Unavailable("api server down");
        case "a", "b", "c" -> new AuthResult.Authenticated(sa(token.value()));
        default -> new AuthResult.Rejected("unknown token");
    });

    static Principal sa(String ns) {
        return new Principal(ServiceAccounts.username(ns, "collector"), "", ServiceAccounts.groups(ns), Map.of(), Optional.of(ns),
                Optional.empty(), "test", Optional.empty());
    }

    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    final AuthGate namespaceGate = new AuthGate(SERVICE_ACCOUNTS, new NamespaceAuthorizer(), new TenantResolver(true), metrics);

    AuthFailure.Kind refusal(AuthGate gate, Action action, List<String> auth, List<String> tenants) {
        AuthGate.Outcome o = gate.check(action, auth, tenants).join();
        return assertInstanceOf(AuthGate.Outcome.Refused.class, o, o.toString()).failure().kind();
    }

    List<String> granted(AuthGate gate, Action action, String token, String tenant) {
        AuthGate.Outcome o = gate.check(action, List.of("Bearer " + token), List.of(tenant)).join();
        return assertInstanceOf(AuthGate.Outcome.Granted.class, o, o.toString()).tenants();
    }

    @Test
    void credentialsMissingMalformedOrInvalidAre401() {
        for (Action action : Action.values()) {
            assertEquals(AuthFailure.Kind.UNAUTHENTICATED, refusal(namespaceGate, action, List.of(), List.of("a")));
            assertEquals(AuthFailure.Kind.UNAUTHENTICATED, refusal(namespaceGate, action, List.of("Basic YTpi"), List.of("a")));
            assertEquals(AuthFailure.Kind.UNAUTHENTICATED, refusal(namespaceGate, action, List.of("Bearer "), List.of("a")));
            assertEquals(AuthFailure.Kind.UNAUTHENTICATED, refusal(namespaceGate, action, List.of("Bearer a", "Bearer b"), List.of("a")));
            assertEquals(AuthFailure.Kind.UNAUTHENTICATED, refusal(namespaceGate, action, List.of("Bearer forged"), List.of("a")));
        }
        assertEquals(List.of("a"), granted(namespaceGate, Action.WRITE, "a", "a"));
        assertEquals(List.of("a"), namespaceGate.check(Action.READ, List.of("bearer a"), List.of("a")).join() instanceof AuthGate.Outcome.Granted g
                ? g.tenants() : List.of(), "scheme is case-insensitive");
    }

    @Test
    void anotherNamespacesTenantIs403ForReadAndWrite() {
        for (Action action : Action.values()) {
            assertEquals(AuthFailure.Kind.FORBIDDEN, refusal(namespaceGate, action, List.of("Bearer b"), List.of("a")));
        }
    }

    @Test
    void tenantHeaderMissingDuplicatedEmptyOrWildcardIsRefused() {
        for (Action action : Action.values()) {
            assertEquals(AuthFailure.Kind.UNAUTHENTICATED, refusal(namespaceGate, action, List.of("Bearer a"), List.of()), "missing");
            assertEquals(AuthFailure.Kind.BAD_REQUEST, refusal(namespaceGate, action, List.of("Bearer a"), List.of("a", "a")), "duplicated");
            assertEquals(AuthFailure.Kind.BAD_REQUEST, refusal(namespaceGate, action, List.of("Bearer a"), List.of("")), "empty");
            assertEquals(AuthFailure.Kind.BAD_REQUEST, refusal(namespaceGate, action, List.of("Bearer a"), List.of("*")), "wildcard");
            assertEquals(AuthFailure.Kind.BAD_REQUEST, refusal(namespaceGate, action, List.of("Bearer a"), List.of("a,b")), "comma-joined");
        }
        AuthGate allowAll = new AuthGate(SERVICE_ACCOUNTS, new AllowAllAuthorizer(), new TenantResolver(true), metrics);
        assertEquals(AuthFailure.Kind.BAD_REQUEST, refusal(allowAll, Action.READ, List.of("Bearer a"), List.of("a|*")));
    }

    @Test
    void multiTenantReadNeedsEveryTenantAndWritesNeverFederate() {
        Authorizer twoNamespaces = (p, action, tenant) -> CompletableFuture.completedFuture(
                p.namespace().orElseThrow().equals("c") && Set.of("a", "b").contains(tenant) ? Decision.ALLOW : new Decision.Deny("no"));
        AuthGate gate = new AuthGate(SERVICE_ACCOUNTS, twoNamespaces, new TenantResolver(true), metrics);
        assertEquals(List.of("a", "b"), granted(gate, Action.READ, "c", "b|a"));
        assertEquals(AuthFailure.Kind.FORBIDDEN, refusal(gate, Action.READ, List.of("Bearer c"), List.of("a|b|d")));
        assertEquals(AuthFailure.Kind.FORBIDDEN, refusal(namespaceGate, Action.READ, List.of("Bearer a"), List.of("a|b")));
        assertEquals(AuthFailure.Kind.BAD_REQUEST, refusal(gate, Action.WRITE, List.of("Bearer c"), List.of("a|b")));
    }

    @Test
    void unavailableIs503ButADenyWins() {
        assertEquals(AuthFailure.Kind.UNAVAILABLE, refusal(namespaceGate, Action.WRITE, List.of("Bearer down"), List.of("a")));
        Authorizer flaky = (p, action, tenant) -> CompletableFuture.completedFuture(
                tenant.equals("a") ? new Decision.Unavailable("down") : tenant.equals("b") ? new Decision.Deny("no") : Decision.ALLOW);
        AuthGate gate = new AuthGate(SERVICE_ACCOUNTS, flaky, new TenantResolver(true), metrics);
        assertEquals(AuthFailure.Kind.UNAVAILABLE, refusal(gate, Action.READ, List.of("Bearer a"), List.of("a|c")));
        assertEquals(AuthFailure.Kind.FORBIDDEN, refusal(gate, Action.READ, List.of("Bearer a"), List.of("a|b")));
        assertEquals(503, AuthFailure.Kind.UNAVAILABLE.httpStatus());
        assertEquals(io.grpc.Status.Code.UNAVAILABLE, AuthFailure.Kind.UNAVAILABLE.grpcCode());
        assertEquals(io.grpc.Status.Code.PERMISSION_DENIED, AuthFailure.Kind.FORBIDDEN.grpcCode());
        assertEquals(io.grpc.Status.Code.UNAUTHENTICATED, AuthFailure.Kind.UNAUTHENTICATED.grpcCode());
    }

    @Test
    void singleTenantModeAuthorizesTheSingleTenant() {
        AuthGate gate = new AuthGate(SERVICE_ACCOUNTS, new AllowAllAuthorizer(), new TenantResolver(false), metrics);
        assertEquals(List.of("single-tenant"), granted(gate, Action.WRITE, "a", "whatever"));
    }

    @Test
    void decisionsAreCountedInMetrics() {
        refusal(namespaceGate, Action.WRITE, List.of(), List.of("a"));
        granted(namespaceGate, Action.WRITE, "a", "a");
        assertEquals(1.0, metrics.get("vivace_auth_requests_total").tag("action", "write").tag("result", "unauthenticated").counter().count());
        assertEquals(1.0, metrics.get("vivace_auth_requests_total").tag("action", "write").tag("result", "allowed").counter().count());
    }

    @Test
    void staticTokensAreLimitedToTheirTenantsAndActionsAndReload(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokens.yaml");
        String grafanaDigest = HexFormat.of().formatHex(BearerToken.sha256("grafana-secret"));
        Files.writeString(file, """
                tokens:
                  - subject: grafana
                    token_sha256: %s
                    tenants: [showcase]
                    actions: [read]
                  - subject: collector
                    token: collector-secret
                    tenants: [showcase, other]
                  - subject: admin
                    token: admin-secret
                    tenants: ["*"]
                """.formatted(grafanaDigest));
        StaticTokenAuthenticator tokens = new StaticTokenAuthenticator(file);
        AuthGate gate = new AuthGate(tokens, new AllowAllAuthorizer(), new TenantResolver(true), metrics);
        assertEquals(List.of("showcase"), granted(gate, Action.READ, "grafana-secret", "showcase"));
        assertEquals(AuthFailure.Kind.FORBIDDEN, refusal(gate, Action.WRITE, List.of("Bearer grafana-secret"), List.of("showcase")));
        assertEquals(AuthFailure.Kind.FORBIDDEN, refusal(gate, Action.READ, List.of("Bearer grafana-secret"), List.of("other")));
        assertEquals(AuthFailure.Kind.FORBIDDEN, refusal(gate, Action.READ, List.of("Bearer grafana-secret"), List.of("other|showcase")));
        assertEquals(List.of("other"), granted(gate, Action.WRITE, "collector-secret", "other"));
        assertEquals(List.of("anything"), granted(gate, Action.WRITE, "admin-secret", "anything"));
        assertEquals(AuthFailure.Kind.UNAUTHENTICATED, refusal(gate, Action.READ, List.of("Bearer grafana-secreT"), List.of("showcase")));

        Files.writeString(file, "tokens:\n  - subject: grafana\n    token: rotated\n    tenants: [showcase]\n");
        assertTrue(tokens.reload());
        assertEquals(AuthFailure.Kind.UNAUTHENTICATED, refusal(gate, Action.READ, List.of("Bearer grafana-secret"), List.of("showcase")));
        assertEquals(List.of("showcase"), granted(gate, Action.READ, "rotated", "showcase"));

        Files.writeString(file, "tokens:\n  - subject: broken\n    tenants: [x]\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, tokens::reload);
        assertTrue(e.getMessage().contains("exactly one of token and token_sha256"), e.getMessage());
        assertEquals(List.of("showcase"), granted(gate, Action.READ, "rotated", "showcase"), "the previous tokens stay");

        Files.writeString(file, "tokens:\n  - subject: leaky\n    token: super-secret-value\n    tenants: [x]\n    unknown_key: super-secret-value\n");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, tokens::reload);
        assertTrue(!bad.getMessage().contains("super-secret-value"), bad.getMessage());
    }

    @Test
    void concurrentIdenticalChecksShareOneCall() {
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<AuthResult> pending = new CompletableFuture<>();
        Authenticator slow = token -> {
            calls.incrementAndGet();
            return pending;
        };
        CachingAuthenticator cached = new CachingAuthenticator(slow, Duration.ofMinutes(2), Duration.ofSeconds(30), 100,
                Clock.systemUTC(), new KubernetesReviewTest.AtomicTicker());
        List<CompletableFuture<AuthResult>> waiting = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            waiting.add(cached.authenticate(new BearerToken("same")));
        }
        assertEquals(1, calls.get());
        pending.complete(new AuthResult.Authenticated(sa("a")));
        waiting.forEach(f -> assertInstanceOf(AuthResult.Authenticated.class, f.join()));
        cached.authenticate(new BearerToken("same")).join();
        assertEquals(1, calls.get());

        AtomicInteger authzCalls = new AtomicInteger();
        CompletableFuture<Decision> decision = new CompletableFuture<>();
        CachingAuthorizer authz = new CachingAuthorizer((p, a, t) -> {
            authzCalls.incrementAndGet();
            return decision;
        }, Duration.ofMinutes(5), Duration.ofSeconds(30), 100, new KubernetesReviewTest.AtomicTicker());
        List<CompletableFuture<Decision>> decisions = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            decisions.add(authz.authorize(sa("a"), Action.READ, "a"));
        }
        assertEquals(1, authzCalls.get());
        decision.complete(Decision.ALLOW);
        decisions.forEach(f -> assertEquals(Decision.ALLOW, f.join()));
    }

    @Test
    void authenticationCacheRespectsTokenExpiryAndNegativeTtl() {
        Instant now = Instant.parse("2026-06-01T12:00:00Z");
        KubernetesReviewTest.AtomicTicker ticker = new KubernetesReviewTest.AtomicTicker();
        AtomicInteger calls = new AtomicInteger();
        Authenticator shortLived = token -> {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture(token.value().equals("bad") ? new AuthResult.Rejected("bad")
                    : new AuthResult.Authenticated(new Principal("u", "", Set.of(), Map.of(), Optional.empty(), Optional.empty(), "t",
                    Optional.of(now.plusSeconds(20)))));
        };
        CachingAuthenticator cached = new CachingAuthenticator(shortLived, Duration.ofMinutes(2), Duration.ofSeconds(30), 100,
                Clock.fixed(now, ZoneOffset.UTC), ticker);
        cached.authenticate(new BearerToken("good")).join();
        cached.authenticate(new BearerToken("bad")).join();
        ticker.advance(Duration.ofSeconds(19));
        cached.authenticate(new BearerToken("good")).join();
        cached.authenticate(new BearerToken("bad")).join();
        assertEquals(2, calls.get());
        ticker.advance(Duration.ofSeconds(2));
        cached.authenticate(new BearerToken("good")).join();
        assertEquals(3, calls.get(), "cached no longer than the token lives");
        ticker.advance(Duration.ofSeconds(10));
        cached.authenticate(new BearerToken("bad")).join();
        assertEquals(4, calls.get(), "negative result expired after 30 s");
    }

    @Test
    void bearerTokenNeverPrintsItself() {
        BearerToken t = new BearerToken("very-secret");
        assertTrue(!t.toString().contains("very-secret"));
        assertTrue(t.digestEquals(BearerToken.sha256("very-secret")));
    }
}
