package io.vivace.common.auth;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vivace.common.reload.WatchedFile;
import io.vivace.common.tenant.TenantId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Bearer tokens listed in a YAML file, each mapped to a subject, its groups, and the tenants and actions it may
 * use. Only SHA-256 digests are kept in memory; a presented token is compared against every entry in constant
 * time. {@link #reload()} picks up an edited file; a broken edit is refused and the previous tokens stay.
 *
 * <pre>
 * tokens:
 *   - subject: grafana
 *     token_sha256: 3a7bd3e2...   # hex SHA-256 of the token (preferred), or
 *     # token: the-token-itself
 *     groups: [readers]
 *     tenants: [showcase]         # or ["*"] for every tenant
 *     actions: [read]             # default: read and write
 * </pre>
 */
public final class StaticTokenAuthenticator implements Authenticator {

    record TokenFile(List<Entry> tokens) {
        TokenFile {
            tokens = tokens == null ? List.of() : tokens;
        }
    }

    record Entry(String subject, String token, String tokenSha256, List<String> groups, List<String> tenants,
                 List<String> actions) {
    }

    private record Known(byte[] digest, Principal principal) {
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final WatchedFile file;
    private volatile List<Known> known = List.of();

    /** Loads the file now; an unreadable or invalid file is an {@link IllegalArgumentException} naming the problem. */
    public StaticTokenAuthenticator(Path tokensFile) {
        this.file = new WatchedFile(tokensFile);
        try {
            reload();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read tokens file " + tokensFile + ": " + e.getMessage(), e);
        }
    }

    /** Reads the file again; returns whether it changed. Invalid content throws and leaves the old tokens in force. */
    public boolean reload() throws IOException {
        Optional<byte[]> content = file.readIfChanged();
        if (content.isEmpty()) {
            return false;
        }
        try {
            known = parse(content.get());
        } catch (IllegalArgumentException e) {
            file.reset();
            throw new IllegalArgumentException("tokens file " + file.path() + ": " + e.getMessage(), e);
        }
        return true;
    }

    static List<Known> parse(byte[] yaml) {
        TokenFile parsed;
        try {
            parsed = yaml.length == 0 ? new TokenFile(null) : YAML.readValue(yaml, TokenFile.class);
        } catch (IOException e) {
            // Jackson's message may quote the offending line, which could hold a token: keep only its kind.
            throw new IllegalArgumentException("not a valid tokens file (" + e.getClass().getSimpleName() + ")");
        }
        List<Known> out = new ArrayList<>();
        Set<String> digests = new HashSet<>();
        int i = 0;
        for (Entry e : parsed == null ? List.<Entry>of() : parsed.tokens()) {
            String where = "tokens[" + i++ + "]";
            if (e.subject() == null || e.subject().isBlank()) {
                throw new IllegalArgumentException(where + ": subject is required");
            }
            byte[] digest = digestOf(e, where);
            if (!digests.add(HexFormat.of().formatHex(digest))) {
                throw new IllegalArgumentException(where + ": the same token is listed twice");
            }
            out.add(new Known(digest, principal(e, where)));
        }
        return List.copyOf(out);
    }

    private static byte[] digestOf(Entry e, String where) {
        boolean hasToken = e.token() != null && !e.token().isEmpty();
        boolean hasDigest = e.tokenSha256() != null && !e.tokenSha256().isEmpty();
        if (hasToken == hasDigest) {
            throw new IllegalArgumentException(where + ": give exactly one of token and token_sha256");
        }
        if (hasToken) {
            return BearerToken.sha256(e.token());
        }
        try {
            byte[] d = HexFormat.of().parseHex(e.tokenSha256().trim().toLowerCase());
            if (d.length != 32) {
                throw new IllegalArgumentException(where + ": token_sha256 must be 64 hex digits");
            }
            return d;
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(where + ": token_sha256 must be 64 hex digits");
        }
    }

    private static Principal principal(Entry e, String where) {
        List<String> tenants = e.tenants() == null ? List.of() : e.tenants();
        if (tenants.isEmpty()) {
            throw new IllegalArgumentException(where + " (" + e.subject() + "): tenants is required (a list, or [\"*\"] for all)");
        }
        boolean any = tenants.contains("*");
        Set<String> valid = new HashSet<>();
        for (String t : tenants) {
            if (!t.equals("*")) {
                try {
                    valid.add(TenantId.validate(t));
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException(where + " (" + e.subject() + "): " + ex.getMessage());
                }
            }
        }
        EnumSet<Action> actions = EnumSet.noneOf(Action.class);
        for (String a : e.actions() == null ? List.of("read", "write") : e.actions()) {
            switch (a) {
                case "read" -> actions.add(Action.READ);
                case "write" -> actions.add(Action.WRITE);
                default -> throw new IllegalArgumentException(where + " (" + e.subject() + "): action '" + a
                        + "' is not read or write");
            }
        }
        Set<String> groups = new HashSet<>(e.groups() == null ? List.of() : e.groups());
        groups.add("system:authenticated");
        return new Principal(e.subject(), "", groups, Map.of(), ServiceAccounts.namespaceOf(e.subject()),
                Optional.of(new Principal.TenantGrant(valid, any, actions)), "static", Optional.empty());
    }

    @Override
    public CompletableFuture<AuthResult> authenticate(BearerToken token) {
        Principal match = null;
        for (Known k : known) {
            // No early exit: every entry is compared, so timing does not tell which (or whether one) matched.
            if (token.digestEquals(k.digest()) & match == null) {
                match = k.principal();
            }
        }
        return CompletableFuture.completedFuture(match != null ? new AuthResult.Authenticated(match)
                : new AuthResult.Rejected("token is not in the tokens file"));
    }

    int size() {
        return known.size();
    }
}
