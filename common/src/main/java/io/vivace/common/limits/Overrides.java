package io.vivace.common.limits;

/** Where components look up a tenant's limits; the answer may change at run time (per-tenant overrides file). */
@FunctionalInterface
public interface Overrides {

    TenantLimits forTenant(String tenant);

    /** The same limits for every tenant. */
    static Overrides fixed(TenantLimits limits) {
        return tenant -> limits;
    }
}
