package io.vivace.common.tenant;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Tenant ID rules of Tempo's {@code X-Scope-OrgID} header (dskit tenant validation). */
public final class TenantId {

    /** The tenant every request runs as when multitenancy is off. */
    public static final String SINGLE_TENANT = "single-tenant";
    public static final String HEADER = "X-Scope-OrgID";
    private static final int MAX_LENGTH = 150;

    private TenantId() {
    }

    /**
     * Validates one tenant ID, trimming anything after ':' (metadata), and returns it.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static String validate(String raw) {
        String id = raw;
        int colon = id.indexOf(':');
        if (colon >= 0) {
            id = id.substring(0, colon);
        }
        if (id.isEmpty()) {
            throw new IllegalArgumentException("tenant ID is empty");
        }
        if (id.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("tenant ID is too long: max " + MAX_LENGTH + " characters");
        }
        if (id.equals(".") || id.equals("..")) {
            throw new IllegalArgumentException("tenant ID is '.' or '..'");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!isAllowed(c)) {
                throw new IllegalArgumentException("tenant ID '" + id + "' contains unsupported character '" + c + "'");
            }
        }
        return id;
    }

    /** Splits a federated {@code a|b} header into validated, sorted, de-duplicated tenant IDs. */
    public static List<String> parseFederated(String header) {
        TreeSet<String> ids = new TreeSet<>();
        for (String part : header.split("\\|", -1)) {
            ids.add(validate(part));
        }
        return new ArrayList<>(ids);
    }

    private static boolean isAllowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!-_.*'()".indexOf(c) >= 0;
    }
}
