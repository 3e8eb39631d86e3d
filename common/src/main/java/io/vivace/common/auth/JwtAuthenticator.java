package io.vivace.common.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Validates JWTs offline against the issuer's public keys, the way Kubernetes service-account tokens can be
 * checked without a TokenReview: signature by an allowed asymmetric algorithm (never {@code none}, never HMAC),
 * {@code iss} equal to the configured issuer, {@code aud} containing a configured audience, {@code exp} required
 * and in the future, {@code nbf} reached, and (optionally) Kubernetes' {@code warnafter} not yet reached, all
 * within {@code clockSkew}. For a service-account token the namespace from {@code sub} must agree with the
 * {@code kubernetes.io.namespace} claim; the principal gets the groups the API server would give it.
 *
 * <p>Offline validation cannot notice a deleted service account or pod; prefer short-lived projected tokens.
 */
public final class JwtAuthenticator implements Authenticator {

    /** Verification settings. */
    public record Settings(String issuer, List<String> audiences, Set<JWSAlgorithm> algorithms, Duration clockSkew,
                           boolean honorWarnAfter) {
        public Settings {
            if (issuer == null || issuer.isBlank()) {
                throw new IllegalArgumentException("the JWT issuer is required");
            }
            if (audiences == null || audiences.isEmpty()) {
                throw new IllegalArgumentException("at least one JWT audience is required");
            }
            audiences = List.copyOf(audiences);
            algorithms = Set.copyOf(algorithms);
            for (JWSAlgorithm a : algorithms) {
                if (!JWSAlgorithm.Family.RSA.contains(a) && !JWSAlgorithm.Family.EC.contains(a)
                        && !JWSAlgorithm.Family.ED.contains(a)) {
                    throw new IllegalArgumentException("JWT algorithm " + a + " is not an asymmetric signature algorithm");
                }
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final JwksCache keys;
    private final Clock clock;
    private final DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();

    JwtAuthenticator(Settings settings, JwksCache keys, Clock clock) {
        this.settings = settings;
        this.keys = keys;
        this.clock = clock;
    }

    /** Keys from a JWKS document on disk, read again when a token names an unknown key. */
    public static JwtAuthenticator withJwksFile(Settings settings, Path jwksFile, Duration refreshPeriod,
                                                Duration minRefetchInterval, Clock clock) {
        return new JwtAuthenticator(settings, new JwksCache(fileSource(jwksFile), refreshPeriod, minRefetchInterval, System::nanoTime), clock);
    }

    /** Keys from a JWKS URL. */
    public static JwtAuthenticator withJwksUrl(Settings settings, KubernetesApiClient http, URI jwksUrl, Duration refreshPeriod,
                                               Duration minRefetchInterval, Clock clock) {
        return new JwtAuthenticator(settings, new JwksCache(urlSource(http, jwksUrl), refreshPeriod, minRefetchInterval, System::nanoTime), clock);
    }

    /**
     * Keys found through OpenID Connect discovery: {@code discoveryUrl} (by default
     * {@code <issuer>/.well-known/openid-configuration}) names the {@code jwks_uri}; its {@code issuer} must match.
     */
    public static JwtAuthenticator withDiscovery(Settings settings, KubernetesApiClient http, URI discoveryUrl,
                                                 Duration refreshPeriod, Duration minRefetchInterval, Clock clock) {
        return new JwtAuthenticator(settings, new JwksCache(discoverySource(settings.issuer(), http, discoveryUrl), refreshPeriod,
                minRefetchInterval, System::nanoTime), clock);
    }

    static Supplier<CompletableFuture<JWKSet>> fileSource(Path jwksFile) {
        return () -> {
            try {
                return CompletableFuture.completedFuture(JWKSet.parse(Files.readString(jwksFile)));
            } catch (IOException | ParseException e) {
                return CompletableFuture.failedFuture(new IOException("JWKS file " + jwksFile + ": " + e.getMessage(), e));
            }
        };
    }

    static Supplier<CompletableFuture<JWKSet>> urlSource(KubernetesApiClient http, URI jwksUrl) {
        return () -> http.get(jwksUrl).thenApply(JwtAuthenticator::parseJwks);
    }

    static Supplier<CompletableFuture<JWKSet>> discoverySource(String expectedIssuer, KubernetesApiClient http, URI discoveryUrl) {
        return () -> http.get(discoveryUrl).thenCompose(doc -> {
            JsonNode d;
            try {
                d = JSON.readTree(doc);
            } catch (IOException e) {
                throw new IllegalStateException("discovery document at " + discoveryUrl + " is not JSON");
            }
            String issuer = d.path("issuer").asText("");
            if (!issuer.equals(expectedIssuer)) {
                throw new IllegalStateException("discovery document names issuer '" + issuer + "', expected '" + expectedIssuer + "'");
            }
            String jwksUri = d.path("jwks_uri").asText("");
            if (jwksUri.isEmpty()) {
                throw new IllegalStateException("discovery document at " + discoveryUrl + " has no jwks_uri");
            }
            return http.get(URI.create(jwksUri));
        }).thenApply(JwtAuthenticator::parseJwks);
    }

    static URI defaultDiscoveryUrl(String issuer) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        return URI.create(base + "/.well-known/openid-configuration");
    }

    private static JWKSet parseJwks(byte[] body) {
        try {
            return JWKSet.parse(new String(body, StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw new IllegalStateException("not a JWKS document: " + e.getMessage());
        }
    }

    @Override
    public CompletableFuture<AuthResult> authenticate(BearerToken token) {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token.value());
        } catch (ParseException | RuntimeException e) {
            return done(new AuthResult.Rejected("not a signed JWT"));
        }
        JWSHeader header = jwt.getHeader();
        if (!settings.algorithms().contains(header.getAlgorithm())) {
            return done(new AuthResult.Rejected("JWT algorithm " + header.getAlgorithm() + " is not allowed"));
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return done(new AuthResult.Rejected("JWT claims are not valid JSON"));
        }
        // Claims first: an expired or foreign token is refused without touching the key source.
        Optional<AuthResult.Rejected> bad = checkClaims(claims);
        if (bad.isPresent()) {
            return done(bad.get());
        }
        return keys.find(header).thenApply(lookup -> switch (lookup) {
            case JwksCache.Lookup.Unavailable u -> new AuthResult.Unavailable(u.reason());
            case JwksCache.Lookup.Unknown u -> new AuthResult.Rejected("JWT signed by an unknown key");
            case JwksCache.Lookup.Found f -> verify(jwt, f.keys()) ? principal(claims)
                    : new AuthResult.Rejected("JWT signature is not valid");
        });
    }

    private boolean verify(SignedJWT jwt, List<JWK> candidates) {
        for (JWK jwk : candidates) {
            if (!(jwk instanceof AsymmetricJWK asym)) {
                continue;
            }
            try {
                PublicKey key = asym.toPublicKey();
                JWSVerifier verifier = verifiers.createJWSVerifier(jwt.getHeader(), key);
                if (jwt.verify(verifier)) {
                    return true;
                }
            } catch (JOSEException | RuntimeException e) {
                // Key of another type or size than the header claims: try the next candidate.
            }
        }
        return false;
    }

    private Optional<AuthResult.Rejected> checkClaims(JWTClaimsSet c) {
        Instant now = Instant.now(clock);
        Duration skew = settings.clockSkew();
        if (!settings.issuer().equals(c.getIssuer())) {
            return reject("JWT issuer is not " + settings.issuer());
        }
        List<String> aud = c.getAudience();
        if (aud == null || settings.audiences().stream().noneMatch(aud::contains)) {
            return reject("JWT audience is not one of " + settings.audiences());
        }
        Date exp = c.getExpirationTime();
        if (exp == null) {
            return reject("JWT has no expiry");
        }
        if (!now.isBefore(exp.toInstant().plus(skew))) {
            return reject("JWT expired");
        }
        Date nbf = c.getNotBeforeTime();
        if (nbf != null && now.isBefore(nbf.toInstant().minus(skew))) {
            return reject("JWT not valid yet");
        }
        Optional<Instant> warnAfter = warnAfter(c);
        if (settings.honorWarnAfter() && warnAfter.isPresent() && !now.isBefore(warnAfter.get().plus(skew))) {
            return reject("JWT is past its kubernetes.io warnafter time");
        }
        Optional<String> subNs = ServiceAccounts.namespaceOf(c.getSubject());
        Optional<String> claimNs = kubernetesNamespace(c);
        if (claimNs.isPresent() && !claimNs.equals(subNs)) {
            return reject("JWT kubernetes.io namespace does not match its subject");
        }
        return Optional.empty();
    }

    private AuthResult principal(JWTClaimsSet c) {
        String subject = c.getSubject() == null ? "" : c.getSubject();
        Optional<String> ns = ServiceAccounts.namespaceOf(subject);
        Set<String> groups = ns.map(ServiceAccounts::groups).orElse(Set.of("system:authenticated"));
        String uid = serviceAccountUid(c).orElse("");
        Instant exp = c.getExpirationTime().toInstant();
        Optional<Instant> warnAfter = settings.honorWarnAfter() ? warnAfter(c) : Optional.empty();
        Instant expiresAt = warnAfter.filter(w -> w.isBefore(exp)).orElse(exp);
        return new AuthResult.Authenticated(new Principal(subject, uid, groups, Map.of(), ns, Optional.empty(), "jwt",
                Optional.of(expiresAt)));
    }

    @SuppressWarnings("unchecked")
    private static Optional<Map<String, Object>> kubernetesClaim(JWTClaimsSet c) {
        Object k = c.getClaim("kubernetes.io");
        return k instanceof Map<?, ?> m ? Optional.of((Map<String, Object>) m) : Optional.empty();
    }

    private static Optional<String> kubernetesNamespace(JWTClaimsSet c) {
        return kubernetesClaim(c).map(m -> m.get("namespace")).filter(String.class::isInstance).map(String.class::cast);
    }

    private static Optional<String> serviceAccountUid(JWTClaimsSet c) {
        return kubernetesClaim(c).map(m -> m.get("serviceaccount")).filter(Map.class::isInstance)
                .map(sa -> ((Map<?, ?>) sa).get("uid")).filter(String.class::isInstance).map(String.class::cast);
    }

    private static Optional<Instant> warnAfter(JWTClaimsSet c) {
        return kubernetesClaim(c).map(m -> m.get("warnafter")).filter(Number.class::isInstance)
                .map(n -> Instant.ofEpochSecond(((Number) n).longValue()));
    }

    private static Optional<AuthResult.Rejected> reject(String reason) {
        return Optional.of(new AuthResult.Rejected(reason));
    }

    private static CompletableFuture<AuthResult> done(AuthResult r) {
        return CompletableFuture.completedFuture(r);
    }
}
