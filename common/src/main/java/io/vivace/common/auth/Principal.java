package io.vivace.common.auth;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling, as an authenticator established it.
 *
 * @param username            Kubernetes-style user name ({@code system:serviceaccount:<ns>:<name>} for service accounts)
 * @param uid                 user UID, empty if unknown
 * @param groups              groups the user is in; forwarded unchanged to SubjectAccessReviews
 * @param extra               extra user attributes from a TokenReview, forwarded to SubjectAccessReviews
 * @param namespace           the service account's namespace, when the caller is a service account
 * @param grant               tenants and actions a static token is limited to (absent for other methods)
 * @param method              which authenticator vouched for the caller ({@code static}, {@code jwt}, {@code tokenreview})
 * @param expiresAt           when the credential stops being valid, if known (bounds cache lifetimes)
 */
public record Principal(
        String username,
        String uid,
        Set<String> groups,
        Map<String, List<String>> extra,
        Optional<String> namespace,
        Optional<TenantGrant> grant,
        String method,
        Optional<Instant> expiresAt) {

    public Principal {
        groups = Set.copyOf(groups);
        extra = Map.copyOf(extra);
    }

    /** The tenants and actions a credential is restricted to; {@code anyTenant} stands for "all tenants". */
    public record TenantGrant(Set<String> tenants, boolean anyTenant, Set<Action> actions) {
        public TenantGrant {
            tenants = Set.copyOf(tenants);
            actions = Set.copyOf(actions);
        }

        public boolean permits(Action action, String tenant) {
            return actions.contains(action) && (anyTenant || tenants.contains(tenant));
        }
    }
}
