package io.vivace.common.tenant;

import java.util.List;

/**
 * Finds the tenant of a request from its {@code X-Scope-OrgID} values. With multitenancy off every request is
 * {@value TenantId#SINGLE_TENANT} and the header is ignored, as in Tempo.
 */
public final class TenantResolver {

    private final boolean multitenancyEnabled;

    public TenantResolver(boolean multitenancyEnabled) {
        this.multitenancyEnabled = multitenancyEnabled;
    }

    public boolean multitenancyEnabled() {
        return multitenancyEnabled;
    }

    /** The single tenant a write goes to; federation ({@code a|b}) is refused. */
    public String resolveWrite(List<String> headerValues) throws TenantException {
        if (!multitenancyEnabled) {
            return TenantId.SINGLE_TENANT;
        }
        String value = single(headerValues);
        if (value.indexOf('|') >= 0) {
            throw new TenantException(TenantException.Kind.INVALID, "writes go to exactly one tenant; '" + value + "' names several");
        }
        return validate(value);
    }

    /** The tenants a read covers: one, or several joined with '|' (sorted, de-duplicated). */
    public List<String> resolveRead(List<String> headerValues) throws TenantException {
        if (!multitenancyEnabled) {
            return List.of(TenantId.SINGLE_TENANT);
        }
        String value = single(headerValues);
        try {
            return TenantId.parseFederated(value);
        } catch (IllegalArgumentException e) {
            throw new TenantException(TenantException.Kind.INVALID, e.getMessage());
        }
    }

    private static String single(List<String> values) throws TenantException {
        if (values.isEmpty()) {
            throw new TenantException(TenantException.Kind.MISSING, "no org id: the " + TenantId.HEADER + " header is required");
        }
        if (values.size() > 1) {
            throw new TenantException(TenantException.Kind.INVALID, "more than one " + TenantId.HEADER + " header");
        }
        return values.getFirst();
    }

    private static String validate(String value) throws TenantException {
        try {
            return TenantId.validate(value);
        } catch (IllegalArgumentException e) {
            throw new TenantException(TenantException.Kind.INVALID, e.getMessage());
        }
    }
}
