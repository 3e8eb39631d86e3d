package io.vivace.common.auth;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Kubernetes service-account naming rules: user names, the groups the API server assigns, namespace names. */
public final class ServiceAccounts {

    private static final String PREFIX = "system:serviceaccount:";
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private ServiceAccounts() {
    }

    /** The namespace in {@code system:serviceaccount:<ns>:<name>}, or empty for any other user name. */
    public static Optional<String> namespaceOf(String username) {
        if (username == null || !username.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = username.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        if (colon <= 0 || colon == rest.length() - 1 || rest.indexOf(':', colon + 1) >= 0) {
            return Optional.empty();
        }
        String ns = rest.substring(0, colon);
        return isNamespaceName(ns) ? Optional.of(ns) : Optional.empty();
    }

    public static String username(String namespace, String name) {
        return PREFIX + namespace + ":" + name;
    }

    /** The groups the API server gives a service account of {@code namespace}. */
    public static Set<String> groups(String namespace) {
        return Set.of("system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated");
    }

    /** A DNS-1123 label: what a namespace may be called (and so what a namespace-backed tenant must be). */
    public static boolean isNamespaceName(String s) {
        return s != null && DNS1123_LABEL.matcher(s).matches();
    }
}
