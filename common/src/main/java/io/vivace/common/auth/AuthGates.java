package io.vivace.common.auth;

import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.jose.JWSAlgorithm;
import io.micrometer.core.instrument.MeterRegistry;
import io.vivace.common.config.AuthConfig;
import io.vivace.common.config.ConfigException;
import io.vivace.common.reload.PeriodicReloader;
import io.vivace.common.tenant.TenantResolver;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Builds the {@link AuthGate} an {@code auth:} section describes; configuration mistakes are {@link ConfigException}s. */
public final class AuthGates {

    private AuthGates() {
    }

    /**
     * The gate, or empty when authentication is off ({@code type: none}). Static token files are registered with
     * {@code reloader}; {@code env} resolves the in-cluster API server address.
     */
    public static Optional<AuthGate> fromConfig(AuthConfig config, TenantResolver tenants, MeterRegistry metrics,
                                                PeriodicReloader reloader, Function<String, String> env) {
        if (!config.enabled()) {
            if (!config.authorization().type().equals("allow-all")) {
                throw new ConfigException("auth.authorization.type '" + config.authorization().type()
                        + "' needs authentication: set auth.authentication.type");
            }
            return Optional.empty();
        }
        Clock clock = Clock.systemUTC();
        AuthConfig.Cache cache = config.cache();
        Lazy<KubernetesApiClient> api = new Lazy<>(() -> kubernetesClient(config.kubernetes(), env));
        Authenticator authn = switch (config.authentication().type()) {
            case "static" -> staticTokens(config.authentication().staticTokens(), reloader);
            case "jwt" -> jwt(config.authentication().jwt(), keySourceClient(config.kubernetes(), env, api), clock);
            case "tokenreview" -> new TokenReviewAuthenticator(api.get(), config.authentication().tokenReview().audiences(), clock);
            default -> throw new ConfigException("auth.authentication.type must be none, static, jwt or tokenreview, not '"
                    + config.authentication().type() + "'");
        };
        Authorizer authz = switch (config.authorization().type()) {
            case "allow-all" -> new AllowAllAuthorizer();
            case "namespace" -> new NamespaceAuthorizer();
            case "subject-access-review" -> subjectAccessReview(config.authorization().subjectAccessReview(), api.get());
            default -> throw new ConfigException("auth.authorization.type must be allow-all, namespace or subject-access-review, not '"
                    + config.authorization().type() + "'");
        };
        if (!(authn instanceof StaticTokenAuthenticator)) {
            authn = new CachingAuthenticator(authn, cache.authenticationTtl(), cache.authenticationNegativeTtl(), cache.maxEntries(),
                    clock, Ticker.systemTicker());
        }
        if (authz instanceof SubjectAccessReviewAuthorizer) {
            authz = new CachingAuthorizer(authz, cache.allowTtl(), cache.denyTtl(), cache.maxEntries(), Ticker.systemTicker());
        }
        return Optional.of(new AuthGate(authn, authz, tenants, metrics));
    }

    private static Authenticator staticTokens(AuthConfig.StaticTokens cfg, PeriodicReloader reloader) {
        if (cfg.tokensFile().isEmpty()) {
            throw new ConfigException("auth.authentication.static.tokens_file is required for type static");
        }
        StaticTokenAuthenticator a;
        try {
            a = new StaticTokenAuthenticator(Path.of(cfg.tokensFile()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("auth.authentication.static: " + e.getMessage());
        }
        reloader.schedule("tokens file " + cfg.tokensFile(), cfg.reloadPeriod(), a::reload);
        return a;
    }

    /**
     * In a cluster (or with {@code api_server} set) key documents are fetched with the API client, which sends the
     * pod's token to the API server only. Elsewhere a client without any credential is used.
     */
    private static Lazy<KubernetesApiClient> keySourceClient(AuthConfig.Kubernetes k8s, Function<String, String> env,
                                                             Lazy<KubernetesApiClient> api) {
        String host = env.apply("KUBERNETES_SERVICE_HOST");
        if (!k8s.apiServer().isEmpty() || (host != null && !host.isEmpty())) {
            return api;
        }
        return new Lazy<>(() -> new KubernetesApiClient(URI.create("http://unused.invalid"), Optional.empty(), Optional.empty(),
                k8s.timeout(), k8s.retries(), k8s.retryBackoff()));
    }

    private static Authenticator jwt(AuthConfig.Jwt cfg, Lazy<KubernetesApiClient> api, Clock clock) {
        Set<JWSAlgorithm> algs = new HashSet<>();
        for (String a : cfg.algorithms()) {
            algs.add(JWSAlgorithm.parse(a));
        }
        JwtAuthenticator.Settings settings;
        try {
            settings = new JwtAuthenticator.Settings(cfg.issuer(), cfg.audiences(), algs, cfg.clockSkew(), cfg.honorWarnAfter());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("auth.authentication.jwt: " + e.getMessage());
        }
        if (!cfg.jwksFile().isEmpty()) {
            return JwtAuthenticator.withJwksFile(settings, Path.of(cfg.jwksFile()), cfg.jwksRefreshPeriod(),
                    cfg.jwksMinRefetchInterval(), clock);
        }
        if (!cfg.jwksUrl().isEmpty()) {
            return JwtAuthenticator.withJwksUrl(settings, api.get(), uri(cfg.jwksUrl(), "auth.authentication.jwt.jwks_url"),
                    cfg.jwksRefreshPeriod(), cfg.jwksMinRefetchInterval(), clock);
        }
        URI discovery = cfg.discoveryUrl().isEmpty() ? JwtAuthenticator.defaultDiscoveryUrl(cfg.issuer())
                : uri(cfg.discoveryUrl(), "auth.authentication.jwt.discovery_url");
        return JwtAuthenticator.withDiscovery(settings, api.get(), discovery, cfg.jwksRefreshPeriod(), cfg.jwksMinRefetchInterval(), clock);
    }

    private static Authorizer subjectAccessReview(AuthConfig.SubjectAccessReview cfg, KubernetesApiClient api) {
        SubjectAccessReviewAuthorizer.Scope scope = switch (cfg.scope()) {
            case "namespaced" -> SubjectAccessReviewAuthorizer.Scope.NAMESPACED;
            case "cluster" -> SubjectAccessReviewAuthorizer.Scope.CLUSTER;
            default -> throw new ConfigException("auth.authorization.subject_access_review.scope must be namespaced or cluster, not '"
                    + cfg.scope() + "'");
        };
        return new SubjectAccessReviewAuthorizer(api, scope, cfg.group(), cfg.resource(), cfg.readVerb(), cfg.writeVerb());
    }

    static KubernetesApiClient kubernetesClient(AuthConfig.Kubernetes cfg, Function<String, String> env) {
        String server = cfg.apiServer();
        if (server.isEmpty()) {
            String host = env.apply("KUBERNETES_SERVICE_HOST");
            String port = env.apply("KUBERNETES_SERVICE_PORT");
            if (host == null || host.isEmpty()) {
                throw new ConfigException("auth.kubernetes.api_server is empty and KUBERNETES_SERVICE_HOST is not set (not in a cluster?)");
            }
            server = "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + (port == null || port.isEmpty() ? "443" : port);
        }
        URI uri = uri(server, "auth.kubernetes.api_server");
        Optional<Path> token = cfg.tokenFile().isEmpty() ? Optional.empty() : Optional.of(Path.of(cfg.tokenFile()));
        Optional<Path> ca = cfg.caFile().isEmpty() || !Files.exists(Path.of(cfg.caFile())) ? Optional.empty() : Optional.of(Path.of(cfg.caFile()));
        try {
            return new KubernetesApiClient(uri, token, ca, cfg.timeout(), cfg.retries(), cfg.retryBackoff());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("auth.kubernetes: " + e.getMessage());
        }
    }

    private static URI uri(String value, String key) {
        try {
            URI u = URI.create(value);
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + " '" + value + "' is not an http(s) URL");
        }
    }

    /** Builds the API client only if a part of the configuration needs it. */
    private static final class Lazy<T> {
        private final java.util.function.Supplier<T> supplier;
        private T value;

        Lazy(java.util.function.Supplier<T> supplier) {
            this.supplier = supplier;
        }

        T get() {
            if (value == null) {
                value = supplier.get();
            }
            return value;
        }
    }
}
