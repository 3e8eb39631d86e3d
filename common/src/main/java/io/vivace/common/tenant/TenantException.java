package io.vivace.common.tenant;

/** The request's tenant header is missing or unusable. */
public final class TenantException extends Exception {

    public enum Kind { MISSING, INVALID }

    private final Kind kind;

    public TenantException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
