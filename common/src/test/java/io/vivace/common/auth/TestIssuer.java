package io.vivace.common.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A token issuer for tests: an RSA key generated at start, and tokens shaped like Kubernetes bound
 * service-account tokens ({@code iss}, {@code sub}, {@code aud}, {@code exp/nbf/iat}, {@code kubernetes.io}).
 */
public final class TestIssuer {

    public final String issuer;
    private RSAKey key;

    public TestIssuer(String issuer) {
        this.issuer = issuer;
        this.key = generate("key-1");
    }

    static RSAKey generate(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Switches to a fresh signing key (key rotation); {@link #jwks()} then holds only the new key. */
    public void rotate(String kid) {
        key = generate(kid);
    }

    public RSAKey key() {
        return key;
    }

    public String jwks() {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    public JWTClaimsSet.Builder claims(String namespace, String serviceAccount, String audience, Instant now, Duration lifetime) {
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(ServiceAccounts.username(namespace, serviceAccount))
                .audience(List.of(audience))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .claim("kubernetes.io", Map.of(
                        "namespace", namespace,
                        "serviceaccount", Map.of("name", serviceAccount, "uid", UUID.randomUUID().toString())));
    }

    public String serviceAccountToken(String namespace, String serviceAccount, String audience, Instant now) {
        return sign(claims(namespace, serviceAccount, audience, now, Duration.ofHours(1)).build());
    }

    public String sign(JWTClaimsSet claims) {
        return sign(claims, key);
    }

    public static String sign(JWTClaimsSet claims, RSAKey with) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(with));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
