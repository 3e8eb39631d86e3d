package io.vivace.common.auth;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

/** Reads a token's {@code exp} without verifying it, to refuse expired JWTs before any API call. */
final class JwtPeek {

    private JwtPeek() {
    }

    /** The unverified expiry of a JWT; empty if the token is not a JWT or has no {@code exp}. */
    static Optional<Instant> expiry(String token) {
        if (token.chars().filter(c -> c == '.').count() != 2) {
            return Optional.empty();
        }
        try {
            JWT jwt = JWTParser.parse(token);
            Date exp = jwt.getJWTClaimsSet().getExpirationTime();
            return Optional.ofNullable(exp).map(Date::toInstant);
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
