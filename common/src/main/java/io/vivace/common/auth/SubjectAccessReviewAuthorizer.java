package io.vivace.common.auth;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the Kubernetes API server whether the caller may read or write a tenant ({@code SubjectAccessReview}),
 * forwarding user, uid, groups and extra exactly as authentication found them.
 *
 * <ul>
 *   <li>{@link Scope#NAMESPACED} (kube-rbac-proxy style, the default): namespace = tenant, with the configured group
 *       and resource ({@code tempo.grafana.com}/{@code traces}); granted by a Role and RoleBinding in the tenant's
 *       namespace.</li>
 *   <li>{@link Scope#CLUSTER} (Tempo Operator style): no namespace, resource = tenant, name = the configured
 *       resource name ({@code traces}); granted by a ClusterRole and ClusterRoleBinding.</li>
 * </ul>
 * The verb is {@code readVerb} ({@code get}) for reads and {@code writeVerb} ({@code create}) for writes. Only
 * {@code allowed: true} allows; "no opinion" is a deny. Tenants that are not DNS-1123 labels are denied without a call.
 */
public final class SubjectAccessReviewAuthorizer implements Authorizer {

    public enum Scope { NAMESPACED, CLUSTER }

    static final String PATH = "/apis/authorization.k8s.io/v1/subjectaccessreviews";
    private static final Logger log = LoggerFactory.getLogger(SubjectAccessReviewAuthorizer.class);

    private final KubernetesApiClient api;
    private final Scope scope;
    private final String group;
    private final String resource;
    private final String readVerb;
    private final String writeVerb;

    /** In {@link Scope#CLUSTER} {@code resource} is the resource <em>name</em> checked on the tenant-named resource. */
    public SubjectAccessReviewAuthorizer(KubernetesApiClient api, Scope scope, String group, String resource,
                                         String readVerb, String writeVerb) {
        this.api = api;
        this.scope = scope;
        this.group = group;
        this.resource = resource;
        this.readVerb = readVerb;
        this.writeVerb = writeVerb;
    }

    @Override
    public CompletableFuture<Decision> authorize(Principal principal, Action action, String tenant) {
        if (!ServiceAccounts.isNamespaceName(tenant)) {
            return CompletableFuture.completedFuture(new Decision.Deny("tenant " + tenant + " is not a namespace name"));
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("apiVersion", "authorization.k8s.io/v1").put("kind", "SubjectAccessReview");
        ObjectNode spec = body.putObject("spec");
        spec.put("user", principal.username());
        if (!principal.uid().isEmpty()) {
            spec.put("uid", principal.uid());
        }
        principal.groups().stream().sorted().forEach(spec.putArray("groups")::add);
        if (!principal.extra().isEmpty()) {
            ObjectNode extra = spec.putObject("extra");
            for (Map.Entry<String, List<String>> e : principal.extra().entrySet()) {
                e.getValue().forEach(extra.putArray(e.getKey())::add);
            }
        }
        ObjectNode attrs = spec.putObject("resourceAttributes");
        attrs.put("verb", action == Action.READ ? readVerb : writeVerb).put("group", group);
        if (scope == Scope.NAMESPACED) {
            attrs.put("namespace", tenant).put("resource", resource);
        } else {
            attrs.put("resource", tenant).put("name", resource);
        }
        return api.post(PATH, body)
                .<Decision>thenApply(resp -> {
                    if (resp.path("status").path("allowed").asBoolean(false)) {
                        return Decision.ALLOW;
                    }
                    String reason = resp.path("status").path("reason").asText("");
                    String evalError = resp.path("status").path("evaluationError").asText("");
                    if (!evalError.isEmpty()) {
                        log.info("SubjectAccessReview for {} on tenant {} had an evaluation error: {}", principal.username(), tenant, evalError);
                    }
                    return new Decision.Deny(reason.isEmpty() ? "not allowed by RBAC" : reason);
                })
                .exceptionally(e -> {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    log.warn("SubjectAccessReview failed: {}", cause.getMessage());
                    return new Decision.Unavailable("subject access review failed: " + cause.getMessage());
                });
    }
}
