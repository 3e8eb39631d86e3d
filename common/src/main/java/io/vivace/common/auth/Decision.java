package io.vivace.common.auth;

/** What an authorizer concluded for one (principal, action, tenant). */
public sealed interface Decision {

    Decision ALLOW = new Allow();

    record Allow() implements Decision {
    }

    /** Not permitted; {@code reason} goes to debug logs, not to the client. */
    record Deny(String reason) implements Decision {
    }

    /** The decision could not be made now (Kubernetes API unreachable); the client should retry. */
    record Unavailable(String reason) implements Decision {
    }
}
