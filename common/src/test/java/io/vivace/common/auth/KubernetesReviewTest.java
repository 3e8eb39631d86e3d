package io.vivace.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vivace.common.tenant.TenantResolver;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** TokenReview and SubjectAccessReview against the fabric8 mock API server answering from the request body. */
class KubernetesReviewTest {

    static final String COLLECTOR_A = "token-collector-team-a";
    static final String GRAFANA = "token-grafana";

    FakeCluster cluster;
    KubernetesApiClient api;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        cluster = new FakeCluster();
        cluster.addServiceAccountToken(COLLECTOR_A, "team-a", "otel-collector", "vivace");
        cluster.addServiceAccountToken(GRAFANA, "grafana", "grafana", "vivace");
        cluster.addServiceAccountToken("token-wrong-audience", "team-a", "otel-collector", "https://kubernetes.default.svc");
        cluster.grantGroupInNamespace("system:serviceaccounts:team-a", "create", "team-a");
        cluster.grantUserInNamespace("system:serviceaccount:grafana:grafana", "get", "team-a");
        cluster.grantUserInNamespace("system:serviceaccount:grafana:grafana", "get", "showcase");
        Path ownToken = dir.resolve("token");
        Files.writeString(ownToken, "vivace-own-token\n");
        cluster.requireCallerToken("vivace-own-token");
        api = new KubernetesApiClient(URI.create(cluster.url()), Optional.of(ownToken), Optional.empty(), Duration.ofSeconds(5), 0,
                Duration.ZERO);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    TokenReviewAuthenticator tokenReview() {
        return new TokenReviewAuthenticator(api, List.of("vivace"), Clock.systemUTC());
    }

    SubjectAccessReviewAuthorizer sar(SubjectAccessReviewAuthorizer.Scope scope) {
        return new SubjectAccessReviewAuthorizer(api, scope, "tempo.grafana.com", "traces", "get", "create");
    }

    @Test
    void tokenReviewFindsTheServiceAccountAndChecksTheAudience() {
        Principal p = assertInstanceOf(AuthResult.Authenticated.class,
                tokenReview().authenticate(new BearerToken(COLLECTOR_A)).join()).principal();
        assertEquals("system:serviceaccount:team-a:otel-collector", p.username());
        assertEquals(Optional.of("team-a"), p.namespace());
        assertTrue(p.groups().contains("system:serviceaccounts:team-a"));
        assertEquals(List.of("pod-1"), p.extra().get("authentication.kubernetes.io/pod-name"));
        assertTrue(cluster.requestBodies().getFirst().contains("\"audiences\":[\"vivace\"]"));

        assertInstanceOf(AuthResult.Rejected.class, tokenReview().authenticate(new BearerToken("token-wrong-audience")).join());
        assertInstanceOf(AuthResult.Rejected.class, tokenReview().authenticate(new BearerToken("nobody-knows-me")).join());
    }

    @Test
    void expiredJwtIsRefusedWithoutAnApiCall() {
        TestIssuer issuer = new TestIssuer("https://kubernetes.default.svc");
        String expired = issuer.sign(issuer.claims("team-a", "x", "vivace", java.time.Instant.now().minusSeconds(7200),
                Duration.ofHours(1)).build());
        assertInstanceOf(AuthResult.Rejected.class, tokenReview().authenticate(new BearerToken(expired)).join());
        assertEquals(0, cluster.tokenReviews());
    }

    @Test
    void namespacedSubjectAccessReviewMirrorsTheRoleBindings() {
        Principal collector = principal(COLLECTOR_A);
        Principal grafana = principal(GRAFANA);
        Authorizer sar = sar(SubjectAccessReviewAuthorizer.Scope.NAMESPACED);
        assertEquals(Decision.ALLOW, sar.authorize(collector, Action.WRITE, "team-a").join());
        assertInstanceOf(Decision.Deny.class, sar.authorize(collector, Action.WRITE, "team-b").join());
        assertInstanceOf(Decision.Deny.class, sar.authorize(collector, Action.READ, "team-a").join(), "create does not imply get");
        assertEquals(Decision.ALLOW, sar.authorize(grafana, Action.READ, "showcase").join());
        assertInstanceOf(Decision.Deny.class, sar.authorize(grafana, Action.WRITE, "showcase").join());
        String body = cluster.requestBodies().getLast();
        assertTrue(body.contains("\"namespace\":\"showcase\"") && body.contains("\"verb\":\"create\"")
                && body.contains("\"resource\":\"traces\"") && body.contains("\"group\":\"tempo.grafana.com\""), body);
        assertTrue(body.contains("system:serviceaccounts:grafana"), "groups are forwarded: " + body);
        assertTrue(body.contains("authentication.kubernetes.io/pod-name"), "extra is forwarded: " + body);

        int calls = cluster.accessReviews();
        assertInstanceOf(Decision.Deny.class, sar.authorize(collector, Action.WRITE, "Team_A").join(), "not a namespace name");
        assertEquals(calls, cluster.accessReviews(), "refused without a call");
    }

    @Test
    void clusterScopedStyleOfTheTempoOperator() {
        cluster.grantUserClusterWide("system:serviceaccount:grafana:grafana", "get", "dev");
        Authorizer sar = sar(SubjectAccessReviewAuthorizer.Scope.CLUSTER);
        assertEquals(Decision.ALLOW, sar.authorize(principal(GRAFANA), Action.READ, "dev").join());
        assertInstanceOf(Decision.Deny.class, sar.authorize(principal(GRAFANA), Action.READ, "prod").join());
        String body = cluster.requestBodies().getLast();
        assertTrue(body.contains("\"resource\":\"prod\"") && body.contains("\"name\":\"traces\"") && !body.contains("namespace"), body);
    }

    @Test
    void apiServerDownIsUnavailableAndNeverCached() {
        AtomicTicker ticker = new AtomicTicker();
        CachingAuthenticator authn = new CachingAuthenticator(tokenReview(), Duration.ofMinutes(2), Duration.ofSeconds(30), 100,
                Clock.systemUTC(), ticker);
        CachingAuthorizer authz = new CachingAuthorizer(sar(SubjectAccessReviewAuthorizer.Scope.NAMESPACED), Duration.ofMinutes(5),
                Duration.ofSeconds(30), 100, ticker);
        Principal collector = principal(COLLECTOR_A);
        cluster.failing(true);
        assertInstanceOf(AuthResult.Unavailable.class, authn.authenticate(new BearerToken(COLLECTOR_A)).join());
        assertInstanceOf(Decision.Unavailable.class, authz.authorize(collector, Action.WRITE, "team-a").join());
        cluster.failing(false);
        assertInstanceOf(AuthResult.Authenticated.class, authn.authenticate(new BearerToken(COLLECTOR_A)).join(), "not cached");
        assertEquals(Decision.ALLOW, authz.authorize(collector, Action.WRITE, "team-a").join(), "not cached");

        cluster.close();
        assertInstanceOf(AuthResult.Unavailable.class, tokenReview().authenticate(new BearerToken(GRAFANA)).join(), "connection refused");
        assertInstanceOf(AuthResult.Authenticated.class, authn.authenticate(new BearerToken(COLLECTOR_A)).join(), "cached result still works");
    }

    @Test
    void ourOwnCredentialsRefusedIsUnavailableNotTheCallersFault() {
        cluster.requireCallerToken("something-else");
        assertInstanceOf(AuthResult.Unavailable.class, tokenReview().authenticate(new BearerToken(COLLECTOR_A)).join());
    }

    @Test
    void decisionsAreCachedAllowLongerThanDeny() {
        AtomicTicker ticker = new AtomicTicker();
        CachingAuthorizer authz = new CachingAuthorizer(sar(SubjectAccessReviewAuthorizer.Scope.NAMESPACED), Duration.ofMinutes(5),
                Duration.ofSeconds(30), 100, ticker);
        Principal collector = principal(COLLECTOR_A);
        int before = cluster.accessReviews();
        authz.authorize(collector, Action.WRITE, "team-a").join();
        authz.authorize(collector, Action.WRITE, "team-b").join();
        authz.authorize(collector, Action.WRITE, "team-a").join();
        authz.authorize(collector, Action.WRITE, "team-b").join();
        assertEquals(before + 2, cluster.accessReviews());
        ticker.advance(Duration.ofSeconds(31));
        authz.authorize(collector, Action.WRITE, "team-a").join();
        authz.authorize(collector, Action.WRITE, "team-b").join();
        assertEquals(before + 3, cluster.accessReviews(), "the deny expired, the allow did not");
        ticker.advance(Duration.ofMinutes(5));
        authz.authorize(collector, Action.WRITE, "team-a").join();
        assertEquals(before + 4, cluster.accessReviews());
    }

    @Test
    void tokensNeverReachTheLogs(@TempDir Path dir) throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Level level = root.getLevel();
        root.setLevel(Level.DEBUG);
        root.addAppender(appender);
        try {
            AuthGate gate = new AuthGate(tokenReview(), sar(SubjectAccessReviewAuthorizer.Scope.NAMESPACED), new TenantResolver(true),
                    new SimpleMeterRegistry());
            List<String> secrets = List.of(COLLECTOR_A, "nobody-knows-me", "token-wrong-audience");
            for (String t : secrets) {
                gate.check(Action.WRITE, List.of("Bearer " + t), List.of("team-b")).join();
                gate.check(Action.READ, List.of("Bearer " + t), List.of("team-a|team-b")).join();
            }
            cluster.failing(true);
            gate.check(Action.WRITE, List.of("Bearer " + GRAFANA), List.of("team-a")).join();
            cluster.close();
            gate.check(Action.WRITE, List.of("Bearer " + GRAFANA), List.of("team-a")).join();
            assertFalse(appender.list.isEmpty(), "something was logged");
            for (ILoggingEvent e : appender.list) {
                String text = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
                for (String t : List.of(COLLECTOR_A, "nobody-knows-me", "token-wrong-audience", GRAFANA, "vivace-own-token")) {
                    assertFalse(text.contains(t), "token in log: " + text);
                }
            }
        } finally {
            root.detachAppender(appender);
            root.setLevel(level);
        }
    }

    Principal principal(String token) {
        return ((AuthResult.Authenticated) tokenReview().authenticate(new BearerToken(token)).join()).principal();
    }

    static final class AtomicTicker implements Ticker {
        private final java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();

        void advance(Duration d) {
            nanos.addAndGet(d.toNanos());
        }

        @Override
        public long read() {
            return nanos.get();
        }
    }

    static Set<String> set(String... s) {
        return Set.of(s);
    }
}
