package io.vivace.common.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The few calls Vivace makes to the Kubernetes API server (TokenReview, SubjectAccessReview, OIDC discovery and
 * JWKS), over the JDK HTTP client. Authenticates with the pod's service-account token, read from its file on
 * every call so kubelet's rotation is picked up, and trusts the cluster CA. Connection failures, timeouts, 429
 * and 5xx are retried {@code retries} times; what still fails completes with {@link KubernetesApiException}.
 * Request bodies (which may hold a reviewed token) are never logged.
 */
public final class KubernetesApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI apiServer;
    private final Optional<Path> tokenFile;
    private final HttpClient http;
    private final Duration timeout;
    private final int retries;
    private final Duration retryBackoff;

    public KubernetesApiClient(URI apiServer, Optional<Path> tokenFile, Optional<Path> caFile,
                               Duration timeout, int retries, Duration retryBackoff) {
        this.apiServer = Objects.requireNonNull(apiServer);
        this.tokenFile = tokenFile;
        this.timeout = timeout;
        this.retries = retries;
        this.retryBackoff = retryBackoff;
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout);
        if (apiServer.getScheme().equals("https") || caFile.isPresent()) {
            b.sslContext(sslContext(caFile));
        }
        this.http = b.build();
    }

    public URI apiServer() {
        return apiServer;
    }

    /** POSTs a JSON object to an API path such as {@code /apis/authentication.k8s.io/v1/tokenreviews}. */
    public CompletableFuture<JsonNode> post(String path, JsonNode body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new KubernetesApiException("cannot encode request", 0, e));
        }
        URI uri = apiServer.resolve(path);
        return send(() -> request(uri).header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)), 0)
                .thenApply(resp -> {
                    try {
                        return JSON.readTree(resp);
                    } catch (IOException e) {
                        throw new CompletionException(new KubernetesApiException(path + " answered something that is not JSON", 0, e));
                    }
                });
    }

    /**
     * GETs a document (discovery, JWKS). The service-account token is sent only to the API server itself, never to
     * another host named in a discovery document.
     */
    public CompletableFuture<byte[]> get(URI uri) {
        return send(() -> request(uri).header("Accept", "application/json").GET(), 0);
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
        if (sameServer(uri)) {
            readToken().ifPresent(t -> b.header("Authorization", "Bearer " + t));
        }
        return b;
    }

    private boolean sameServer(URI uri) {
        return Objects.equals(uri.getScheme(), apiServer.getScheme()) && Objects.equals(uri.getHost(), apiServer.getHost())
                && effectivePort(uri) == effectivePort(apiServer);
    }

    private static int effectivePort(URI u) {
        return u.getPort() >= 0 ? u.getPort() : u.getScheme().equals("https") ? 443 : 80;
    }

    private Optional<String> readToken() {
        if (tokenFile.isEmpty()) {
            return Optional.empty();
        }
        try {
            String t = Files.readString(tokenFile.get()).trim();
            return t.isEmpty() ? Optional.empty() : Optional.of(t);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private CompletableFuture<byte[]> send(java.util.function.Supplier<HttpRequest.Builder> request, int attempt) {
        HttpRequest req = request.get().build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray())
                .handle((resp, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                        return new Outcome(null, new KubernetesApiException("cannot reach " + req.uri().getHost() + ": " + cause, 0, cause), true);
                    }
                    int s = resp.statusCode();
                    if (s >= 200 && s < 300) {
                        return new Outcome(resp.body(), null, false);
                    }
                    boolean retryable = s == 429 || s >= 500;
                    return new Outcome(null, new KubernetesApiException(req.method() + " " + req.uri().getPath() + " answered HTTP " + s, s, null),
                            retryable);
                })
                .thenCompose(o -> {
                    if (o.error == null) {
                        return CompletableFuture.completedFuture(o.body);
                    }
                    if (o.retryable && attempt < retries) {
                        Executor later = CompletableFuture.delayedExecutor(retryBackoff.toMillis() * (attempt + 1), TimeUnit.MILLISECONDS);
                        return CompletableFuture.supplyAsync(() -> null, later).thenCompose(v -> send(request, attempt + 1));
                    }
                    return CompletableFuture.failedFuture(o.error);
                });
    }

    private record Outcome(byte[] body, KubernetesApiException error, boolean retryable) {
    }

    private static SSLContext sslContext(Optional<Path> caFile) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            if (caFile.isPresent()) {
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                try (InputStream in = Files.newInputStream(caFile.get())) {
                    int i = 0;
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        ks.setCertificateEntry("ca-" + i++, c);
                    }
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
                ctx.init(null, tmf.getTrustManagers(), null);
            } else {
                ctx.init(null, null, null);
            }
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS to the Kubernetes API server"
                    + caFile.map(p -> " with CA file " + p).orElse("") + ": " + e.getMessage(), e);
        }
    }
}
