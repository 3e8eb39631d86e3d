package io.vivace.common.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the Kubernetes API server whether a token is valid ({@code TokenReview}), as kube-rbac-proxy does. With
 * {@code audiences} configured they are sent in {@code spec.audiences} and the review must confirm at least one of
 * them. A JWT whose (unverified) {@code exp} is already past is refused locally without a call.
 */
public final class TokenReviewAuthenticator implements Authenticator {

    static final String PATH = "/apis/authentication.k8s.io/v1/tokenreviews";
    private static final Logger log = LoggerFactory.getLogger(TokenReviewAuthenticator.class);

    private final KubernetesApiClient api;
    private final List<String> audiences;
    private final Clock clock;

    public TokenReviewAuthenticator(KubernetesApiClient api, List<String> audiences, Clock clock) {
        this.api = api;
        this.audiences = List.copyOf(audiences);
        this.clock = clock;
    }

    @Override
    public CompletableFuture<AuthResult> authenticate(BearerToken token) {
        Optional<Instant> exp = JwtPeek.expiry(token.value());
        if (exp.isPresent() && !exp.get().isAfter(Instant.now(clock))) {
            return CompletableFuture.completedFuture(new AuthResult.Rejected("token expired"));
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("apiVersion", "authentication.k8s.io/v1").put("kind", "TokenReview");
        ObjectNode spec = body.putObject("spec");
        spec.put("token", token.value());
        if (!audiences.isEmpty()) {
            audiences.forEach(spec.putArray("audiences")::add);
        }
        return api.post(PATH, body)
                .thenApply(resp -> interpret(resp, exp))
                .exceptionally(e -> {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    log.warn("TokenReview failed: {}", cause.getMessage());
                    return new AuthResult.Unavailable("token review failed: " + cause.getMessage());
                });
    }

    private AuthResult interpret(JsonNode resp, Optional<Instant> exp) {
        JsonNode status = resp.path("status");
        if (!status.path("authenticated").asBoolean(false)) {
            String error = status.path("error").asText("");
            return new AuthResult.Rejected("token review: not authenticated" + (error.isEmpty() ? "" : " (" + error + ")"));
        }
        if (!audiences.isEmpty()) {
            Set<String> confirmed = new HashSet<>();
            status.path("audiences").forEach(a -> confirmed.add(a.asText()));
            if (audiences.stream().noneMatch(confirmed::contains)) {
                return new AuthResult.Rejected("token review: token is not for audience " + audiences);
            }
        }
        JsonNode user = status.path("user");
        String username = user.path("username").asText("");
        if (username.isEmpty()) {
            return new AuthResult.Rejected("token review: no user name");
        }
        Set<String> groups = new HashSet<>();
        user.path("groups").forEach(g -> groups.add(g.asText()));
        Map<String, List<String>> extra = new LinkedHashMap<>();
        user.path("extra").properties().forEach(e -> {
            List<String> values = new ArrayList<>();
            e.getValue().forEach(v -> values.add(v.asText()));
            extra.put(e.getKey(), values);
        });
        return new AuthResult.Authenticated(new Principal(username, user.path("uid").asText(""), groups, extra,
                ServiceAccounts.namespaceOf(username), Optional.empty(), "tokenreview", exp));
    }
}
