package io.vivace.common.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;

/**
 * The {@code auth:} section: who may call the OTLP receivers and the query API, and for which tenants.
 * Off by default ({@code authentication.type: none}), as in Tempo.
 */
public record AuthConfig(
        Authentication authentication,
        Authorization authorization,
        Kubernetes kubernetes,
        Cache cache,
        List<String> unauthenticatedPaths) {

    public static final List<String> DEFAULT_UNAUTHENTICATED_PATHS = List.of("/ready", "/metrics", "/api/echo", "/api/status/buildinfo");

    public AuthConfig {
        authentication = authentication == null ? new Authentication(null, null, null, null) : authentication;
        authorization = authorization == null ? new Authorization(null, null) : authorization;
        kubernetes = kubernetes == null ? new Kubernetes(null, null, null, null, null, null) : kubernetes;
        cache = cache == null ? new Cache(null, null, null, null, null) : cache;
        unauthenticatedPaths = unauthenticatedPaths == null ? DEFAULT_UNAUTHENTICATED_PATHS : List.copyOf(unauthenticatedPaths);
    }

    public static AuthConfig defaults() {
        return new AuthConfig(null, null, null, null, null);
    }

    public boolean enabled() {
        return !authentication.type().equals("none");
    }

    /** {@code type}: {@code none}, {@code static}, {@code jwt} or {@code tokenreview}. */
    public record Authentication(String type, @JsonProperty("static") StaticTokens staticTokens, Jwt jwt, TokenReview tokenReview) {
        public Authentication {
            type = type == null ? "none" : type;
            staticTokens = staticTokens == null ? new StaticTokens(null, null) : staticTokens;
            jwt = jwt == null ? new Jwt(null, null, null, null, null, null, null, null, null, null) : jwt;
            tokenReview = tokenReview == null ? new TokenReview(null) : tokenReview;
        }
    }

    public record StaticTokens(String tokensFile, Duration reloadPeriod) {
        public StaticTokens {
            tokensFile = tokensFile == null ? "" : tokensFile;
            reloadPeriod = reloadPeriod == null ? Duration.ofSeconds(10) : reloadPeriod;
        }
    }

    /**
     * Offline JWT validation. Keys come from {@code jwks_file}, else {@code jwks_url}, else OIDC discovery at
     * {@code discovery_url} (default {@code <issuer>/.well-known/openid-configuration}).
     */
    public record Jwt(String issuer, List<String> audiences, String jwksFile, String jwksUrl, String discoveryUrl,
                      List<String> algorithms, Duration clockSkew, Boolean honorWarnAfter, Duration jwksRefreshPeriod,
                      Duration jwksMinRefetchInterval) {
        public Jwt {
            issuer = issuer == null ? "" : issuer;
            audiences = audiences == null ? List.of() : List.copyOf(audiences);
            jwksFile = jwksFile == null ? "" : jwksFile;
            jwksUrl = jwksUrl == null ? "" : jwksUrl;
            discoveryUrl = discoveryUrl == null ? "" : discoveryUrl;
            algorithms = algorithms == null ? List.of("RS256", "ES256") : List.copyOf(algorithms);
            clockSkew = clockSkew == null ? Duration.ofSeconds(60) : clockSkew;
            honorWarnAfter = honorWarnAfter == null || honorWarnAfter;
            jwksRefreshPeriod = jwksRefreshPeriod == null ? Duration.ofMinutes(5) : jwksRefreshPeriod;
            jwksMinRefetchInterval = jwksMinRefetchInterval == null ? Duration.ofSeconds(30) : jwksMinRefetchInterval;
        }
    }

    public record TokenReview(List<String> audiences) {
        public TokenReview {
            audiences = audiences == null ? List.of() : List.copyOf(audiences);
        }
    }

    /** {@code type}: {@code allow-all}, {@code namespace} or {@code subject-access-review}. */
    public record Authorization(String type, SubjectAccessReview subjectAccessReview) {
        public Authorization {
            type = type == null ? "allow-all" : type;
            subjectAccessReview = subjectAccessReview == null ? new SubjectAccessReview(null, null, null, null, null) : subjectAccessReview;
        }
    }

    /**
     * {@code scope: namespaced}: namespace = tenant, {@code group}/{@code resource} as given. {@code scope: cluster}
     * (Tempo Operator style): resource = tenant, resource name = {@code resource}.
     */
    public record SubjectAccessReview(String scope, String group, String resource, String readVerb, String writeVerb) {
        public SubjectAccessReview {
            scope = scope == null ? "namespaced" : scope;
            group = group == null ? "tempo.grafana.com" : group;
            resource = resource == null ? "traces" : resource;
            readVerb = readVerb == null ? "get" : readVerb;
            writeVerb = writeVerb == null ? "create" : writeVerb;
        }
    }

    /** How to reach the API server; empty {@code api_server} = in-cluster ({@code KUBERNETES_SERVICE_HOST/PORT}). */
    public record Kubernetes(String apiServer, String tokenFile, String caFile, Duration timeout, Integer retries,
                             Duration retryBackoff) {
        public Kubernetes {
            apiServer = apiServer == null ? "" : apiServer;
            tokenFile = tokenFile == null ? "/var/run/secrets/kubernetes.io/serviceaccount/token" : tokenFile;
            caFile = caFile == null ? "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt" : caFile;
            timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
            retries = retries == null ? 2 : retries;
            retryBackoff = retryBackoff == null ? Duration.ofMillis(200) : retryBackoff;
        }
    }

    public record Cache(Duration authenticationTtl, Duration authenticationNegativeTtl, Duration allowTtl, Duration denyTtl,
                        Long maxEntries) {
        public Cache {
            authenticationTtl = authenticationTtl == null ? Duration.ofMinutes(2) : authenticationTtl;
            authenticationNegativeTtl = authenticationNegativeTtl == null ? Duration.ofSeconds(30) : authenticationNegativeTtl;
            allowTtl = allowTtl == null ? Duration.ofMinutes(5) : allowTtl;
            denyTtl = denyTtl == null ? Duration.ofSeconds(30) : denyTtl;
            maxEntries = maxEntries == null ? 10_000L : maxEntries;
        }
    }
}
