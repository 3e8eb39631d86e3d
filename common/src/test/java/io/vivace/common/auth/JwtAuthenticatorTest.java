package io.vivace.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offline JWT validation against a JWKS found by OIDC discovery on a loopback server, with a key made by the test. */
class JwtAuthenticatorTest {

    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final String AUDIENCE = "vivace";

    TestIssuer issuer;
    LoopbackOidcServer oidc;
    KubernetesApiClient http;
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    JwtAuthenticator authenticator;
    JwksCache cache;

    @BeforeEach
    void start() throws Exception {
        TestIssuer[] holder = new TestIssuer[1];
        oidc = new LoopbackOidcServer(() -> holder[0].jwks());
        issuer = holder[0] = new TestIssuer(oidc.issuer());
        http = new KubernetesApiClient(URI.create(oidc.issuer()), Optional.empty(), Optional.empty(), Duration.ofSeconds(5), 0,
                Duration.ZERO);
        authenticator = authenticator(settings(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256)));
    }

    JwtAuthenticator authenticator(JwtAuthenticator.Settings settings) {
        cache = new JwksCache(JwtAuthenticator.discoverySource(settings.issuer(), http, URI.create(oidc.discoveryUrl())),
                Duration.ofMinutes(5), Duration.ofSeconds(30), nanos::get);
        return new JwtAuthenticator(settings, cache, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    JwtAuthenticator.Settings settings(Set<JWSAlgorithm> algs) {
        return new JwtAuthenticator.Settings(oidc.issuer(), List.of(AUDIENCE), algs, Duration.ofSeconds(60), true);
    }

    @AfterEach
    void stop() {
        oidc.close();
    }

    AuthResult check(String token) {
        return authenticator.authenticate(new BearerToken(token)).join();
    }

    void assertRejected(String token, String reasonPart) {
        AuthResult r = check(token);
        AuthResult.Rejected rejected = assertInstanceOf(AuthResult.Rejected.class, r);
        assertTrue(rejected.reason().contains(reasonPart), rejected.reason());
    }

    JWTClaimsSet.Builder claims() {
        return issuer.claims("team-a", "otel-collector", AUDIENCE, NOW.minusSeconds(10), Duration.ofHours(1));
    }

    @Test
    void validServiceAccountTokenGivesNamespaceAndApiServerGroups() {
        AuthResult r = check(issuer.sign(claims().build()));
        Principal p = assertInstanceOf(AuthResult.Authenticated.class, r).principal();
        assertEquals("system:serviceaccount:team-a:otel-collector", p.username());
        assertEquals(Optional.of("team-a"), p.namespace());
        assertTrue(p.groups().containsAll(Set.of("system:serviceaccounts", "system:serviceaccounts:team-a", "system:authenticated")));
        assertEquals("jwt", p.method());
        assertEquals(1, oidc.discoveryFetches());
        assertEquals(1, oidc.jwksFetches());
        check(issuer.sign(claims().build()));
        assertEquals(1, oidc.jwksFetches(), "keys are kept");
    }

    @Test
    void expiredNotYetValidAndPastWarnAfterAreRefused() {
        assertRejected(issuer.sign(claims().expirationTime(Date.from(NOW.minusSeconds(61))).build()), "expired");
        assertRejected(issuer.sign(claims().notBeforeTime(Date.from(NOW.plusSeconds(120))).build()), "not valid yet");
        Map<String, Object> k8s = Map.of("namespace", "team-a", "warnafter", NOW.minusSeconds(300).getEpochSecond());
        assertRejected(issuer.sign(claims().claim("kubernetes.io", k8s).build()), "warnafter");
        assertEquals(0, oidc.jwksFetches(), "refused on claims alone, before any key fetch");
        assertInstanceOf(AuthResult.Authenticated.class, check(issuer.sign(claims().expirationTime(Date.from(NOW.minusSeconds(30))).build())),
                "within the clock skew");
    }

    @Test
    void legacyTokenWithoutExpiryIsRefused() {
        assertRejected(issuer.sign(claims().expirationTime(null).build()), "no expiry");
    }

    @Test
    void wrongIssuerOrAudienceIsRefusedAndAudienceMayBeStringOrArray() {
        assertRejected(issuer.sign(claims().issuer("https://evil.example").build()), "issuer");
        assertRejected(issuer.sign(claims().audience("https://kubernetes.default.svc").build()), "audience");
        assertRejected(issuer.sign(claims().audience((String) null).build()), "audience");
        assertInstanceOf(AuthResult.Authenticated.class, check(issuer.sign(claims().audience(AUDIENCE).build())));
        assertInstanceOf(AuthResult.Authenticated.class, check(issuer.sign(claims().audience(List.of("other", AUDIENCE)).build())));
    }

    @Test
    void algNoneAndHmacWithThePublicKeyAreRefused() throws Exception {
        assertRejected(new PlainJWT(claims().build()).serialize(), "not a signed JWT");
        SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(issuer.key().getKeyID()).build(), claims().build());
        hs.sign(new MACSigner(issuer.key().toRSAPublicKey().getEncoded()));
        assertRejected(hs.serialize(), "HS256 is not allowed");
        assertThrows(IllegalArgumentException.class, () -> settings(Set.of(JWSAlgorithm.HS256)), "HMAC cannot be configured");
    }

    @Test
    void tamperedPayloadFailsTheSignature() {
        String token = issuer.sign(claims().build());
        String[] parts = token.split("\\.");
        String forged = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("team-a", "team-b");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
        assertRejected(tampered, "signature");
        assertRejected(token.substring(0, token.length() - 4) + "AAAA", "signature");
    }

    @Test
    void tokenSignedByAnotherKeyWithTheSameKidIsRefused() {
        String forged = TestIssuer.sign(claims().build(), TestIssuer.generate(issuer.key().getKeyID()));
        assertRejected(forged, "signature");
    }

    @Test
    void subjectNamespaceMustMatchTheKubernetesClaim() {
        assertRejected(issuer.sign(claims().claim("kubernetes.io", Map.of("namespace", "team-b")).build()), "namespace");
    }

    @Test
    void unknownKidRefetchesOnceThenIsRateLimited() {
        assertInstanceOf(AuthResult.Authenticated.class, check(issuer.sign(claims().build())));
        assertEquals(1, oidc.jwksFetches());
        issuer.rotate("key-2");
        assertRejected(issuer.sign(claims().build()), "unknown key");
        assertEquals(1, oidc.jwksFetches(), "a refetch right after a fetch is rate limited");
        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        assertInstanceOf(AuthResult.Authenticated.class, check(issuer.sign(claims().build())), "rotation picked up");
        assertEquals(2, oidc.jwksFetches());

        String strangeKid = TestIssuer.sign(claims().build(), TestIssuer.generate("key-unknown"));
        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        assertRejected(strangeKid, "unknown key");
        assertEquals(3, oidc.jwksFetches(), "one refetch for the unknown kid");
        assertRejected(strangeKid, "unknown key");
        assertRejected(strangeKid, "unknown key");
        assertEquals(3, oidc.jwksFetches(), "no more refetches within the rate limit");
        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        assertRejected(strangeKid, "unknown key");
        assertEquals(4, oidc.jwksFetches());
    }

    @Test
    void heldKeysKeepWorkingWhileTheKeySourceIsDownButNoKeysMeansUnavailable() {
        String token = issuer.sign(claims().build());
        assertInstanceOf(AuthResult.Authenticated.class, check(token));
        oidc.failing(true);
        nanos.addAndGet(Duration.ofMinutes(6).toNanos()); // past the refresh period: a refresh is tried and fails
        assertInstanceOf(AuthResult.Authenticated.class, check(token), "stale keys are used during the outage");

        JwtAuthenticator fresh = authenticator(settings(Set.of(JWSAlgorithm.RS256)));
        AuthResult r = fresh.authenticate(new BearerToken(token)).join();
        assertInstanceOf(AuthResult.Unavailable.class, r);
        oidc.failing(false);
        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        assertInstanceOf(AuthResult.Authenticated.class, fresh.authenticate(new BearerToken(token)).join(), "recovers");
    }

    @Test
    void discoveryDocumentForAnotherIssuerIsNotTrusted() {
        oidc.announceIssuer("https://someone-else.example");
        assertInstanceOf(AuthResult.Unavailable.class, check(issuer.sign(claims().build())));
        assertEquals(0, oidc.jwksFetches());
    }

    @Test
    void jwksFromAFile(@TempDir Path dir) throws Exception {
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, issuer.jwks());
        JwtAuthenticator fromFile = JwtAuthenticator.withJwksFile(settings(Set.of(JWSAlgorithm.RS256)), jwks, Duration.ofMinutes(5),
                Duration.ZERO, Clock.fixed(NOW, ZoneOffset.UTC));
        assertInstanceOf(AuthResult.Authenticated.class, fromFile.authenticate(new BearerToken(issuer.sign(claims().build()))).join());
        issuer.rotate("key-2");
        Files.writeString(jwks, issuer.jwks());
        assertInstanceOf(AuthResult.Authenticated.class, fromFile.authenticate(new BearerToken(issuer.sign(claims().build()))).join(),
                "an unknown kid rereads the file");
    }

    @Test
    void notAJwtIsRefused() {
        assertRejected("definitely-not-a-jwt", "not a signed JWT");
        assertRejected("a.b.c", "not a signed JWT");
    }
}
