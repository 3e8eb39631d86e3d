package io.vivace.common.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.utils.ResponseProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A Kubernetes API server for tests: the fabric8 mock server answering TokenReview and SubjectAccessReview from the
 * request body, like the real API server would with the tokens and RBAC bindings registered here.
 */
public final class FakeCluster implements AutoCloseable {

    public static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
    public static final String ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/subjectaccessreviews";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A user as TokenReview reports it. */
    public record User(String username, Set<String> groups, List<String> audiences) {
    }

    /** One RBAC grant: subjects (by user or group), verb, and where (namespace, or cluster-scoped resource name). */
    public record Grant(Predicate<JsonNode> subject, String verb, String group, String resource, String namespace, String name) {
    }

    private final KubernetesMockServer server = new KubernetesMockServer(false);
    private final Map<String, User> tokens = new ConcurrentHashMap<>();
    private final List<Grant> grants = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokenReviews = new AtomicInteger();
    private final AtomicInteger accessReviews = new AtomicInteger();
    private final AtomicBoolean failing = new AtomicBoolean();
    private final List<String> requestBodies = new CopyOnWriteArrayList<>();
    private volatile String ourToken;
    /** A recorded request's body can be read only once; both halves of a reply need it. */
    private final Map<RecordedRequest, String> bodies = new ConcurrentHashMap<>();

    public FakeCluster() {
        server.init(InetAddress.getLoopbackAddress(), 0);
        server.expect().post().withPath(TOKEN_REVIEWS).andReply(provider(this::tokenReview, tokenReviews)).always();
        server.expect().post().withPath(ACCESS_REVIEWS).andReply(provider(this::accessReview, accessReviews)).always();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    /** When set, requests without this bearer token get 401 (Vivace's own credentials are wrong). */
    public void requireCallerToken(String token) {
        this.ourToken = token;
    }

    public void addToken(String token, User user) {
        tokens.put(token, user);
    }

    public void addServiceAccountToken(String token, String namespace, String name, String... audiences) {
        addToken(token, new User(ServiceAccounts.username(namespace, name), ServiceAccounts.groups(namespace), List.of(audiences)));
    }

    public void grant(Grant g) {
        grants.add(g);
    }

    /** RoleBinding in {@code namespace} of a Role with {@code verb} on {@code tempo.grafana.com/traces} to a group. */
    public void grantGroupInNamespace(String group, String verb, String namespace) {
        grant(new Grant(spec -> contains(spec.path("groups"), group), verb, "tempo.grafana.com", "traces", namespace, ""));
    }

    public void grantUserInNamespace(String user, String verb, String namespace) {
        grant(new Grant(spec -> spec.path("user").asText().equals(user), verb, "tempo.grafana.com", "traces", namespace, ""));
    }

    /** ClusterRoleBinding in the Tempo Operator's style: resource = tenant, resourceNames = [traces]. */
    public void grantUserClusterWide(String user, String verb, String tenant) {
        grant(new Grant(spec -> spec.path("user").asText().equals(user), verb, "tempo.grafana.com", tenant, "", "traces"));
    }

    /** While set, every review gets HTTP 503, as from an API server that is down. */
    public void failing(boolean fail) {
        failing.set(fail);
    }

    public int tokenReviews() {
        return tokenReviews.get();
    }

    public int accessReviews() {
        return accessReviews.get();
    }

    /** Every request body received (for asserting what was sent). */
    public List<String> requestBodies() {
        return requestBodies;
    }

    private String tokenReview(JsonNode req) {
        ObjectNode resp = ((ObjectNode) req.deepCopy());
        ObjectNode status = resp.putObject("status");
        User user = tokens.get(req.path("spec").path("token").asText());
        if (user == null) {
            status.put("authenticated", false).put("error", "invalid bearer token");
            return resp.toString();
        }
        Set<String> requested = new HashSet<>();
        req.path("spec").path("audiences").forEach(a -> requested.add(a.asText()));
        Set<String> confirmed = new HashSet<>(user.audiences());
        if (!requested.isEmpty()) {
            confirmed.retainAll(requested);
            if (confirmed.isEmpty()) {
                status.put("authenticated", false).put("error", "token audiences are invalid");
                return resp.toString();
            }
        }
        status.put("authenticated", true);
        confirmed.forEach(status.putArray("audiences")::add);
        ObjectNode u = status.putObject("user");
        u.put("username", user.username()).put("uid", "uid-" + user.username());
        user.groups().forEach(u.putArray("groups")::add);
        u.putObject("extra").putArray("authentication.kubernetes.io/pod-name").add("pod-1");
        return resp.toString();
    }

    private String accessReview(JsonNode req) {
        JsonNode spec = req.path("spec");
        JsonNode attrs = spec.path("resourceAttributes");
        boolean allowed = grants.stream().anyMatch(g -> g.subject().test(spec)
                && g.verb().equals(attrs.path("verb").asText())
                && g.group().equals(attrs.path("group").asText())
                && g.resource().equals(attrs.path("resource").asText())
                && g.namespace().equals(attrs.path("namespace").asText(""))
                && g.name().equals(attrs.path("name").asText("")));
        ObjectNode resp = ((ObjectNode) req.deepCopy());
        ObjectNode status = resp.putObject("status").put("allowed", allowed);
        if (!allowed) {
            status.put("reason", "no RBAC policy matched");
        }
        return resp.toString();
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode n : array) {
            if (n.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private String body(RecordedRequest request) {
        return bodies.computeIfAbsent(request, RecordedRequest::getUtf8Body);
    }

    private ResponseProvider<Object> provider(java.util.function.Function<JsonNode, String> answer, AtomicInteger counter) {
        return new ResponseProvider<>() {
            private Headers headers = new Headers.Builder().add("Content-Type", "application/json").build();

            private int status(RecordedRequest request) {
                if (failing.get()) {
                    return 503;
                }
                String expected = ourToken;
                if (expected != null && !("Bearer " + expected).equals(request.getHeader("Authorization"))) {
                    return 401;
                }
                return 201;
            }

            @Override
            public int getStatusCode(RecordedRequest request) {
                counter.incrementAndGet();
                requestBodies.add(body(request));
                return status(request);
            }

            @Override
            public Object getBody(RecordedRequest request) {
                if (status(request) != 201) {
                    return "{\"kind\":\"Status\",\"status\":\"Failure\"}";
                }
                try {
                    return answer.apply(JSON.readTree(body(request)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public Headers getHeaders() {
                return headers;
            }

            @Override
            public void setHeaders(Headers h) {
                this.headers = h;
            }
        };
    }

    @Override
    public void close() {
        server.destroy();
    }
}
