package io.vivace.common.auth;

/** What an authenticator concluded about a credential. */
public sealed interface AuthResult {

    /** The credential is valid and belongs to {@code principal}. */
    record Authenticated(Principal principal) implements AuthResult {
    }

    /** The credential is invalid (expired, wrong audience, bad signature, unknown...). The reason is safe to log. */
    record Rejected(String reason) implements AuthResult {
    }

    /** The credential could not be checked now (Kubernetes API or JWKS unreachable); the client should retry. */
    record Unavailable(String reason) implements AuthResult {
    }
}
