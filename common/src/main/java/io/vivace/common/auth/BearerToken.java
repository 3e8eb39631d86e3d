package io.vivace.common.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A bearer credential as presented by a client. The value never appears in {@link #toString()}, logs, error
 * messages or cache keys: those use the SHA-256 {@link #digest()}.
 */
public final class BearerToken {

    private final String value;
    private final byte[] digest;

    public BearerToken(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("empty bearer token");
        }
        this.value = value;
        this.digest = sha256(value);
    }

    /** The raw token, for the code that verifies it (JWT parsing, a TokenReview body). */
    public String value() {
        return value;
    }

    /** SHA-256 of the token's UTF-8 bytes (a copy). */
    public byte[] digest() {
        return digest.clone();
    }

    /** Hex SHA-256, usable as a cache key. */
    public String digestHex() {
        return HexFormat.of().formatHex(digest);
    }

    /** Compares the token's digest with {@code otherDigest} in time independent of where they differ. */
    public boolean digestEquals(byte[] otherDigest) {
        return MessageDigest.isEqual(digest, otherDigest);
    }

    public static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "BearerToken[sha256=" + digestHex().substring(0, 12) + "...]";
    }
}
