package io.vivace.common.auth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Serves an OIDC discovery document and a JWKS on 127.0.0.1 (an ephemeral port), as the Kubernetes API server does at
 * {@code /.well-known/openid-configuration} and {@code /openid/v1/jwks}. Can be told to fail, and counts fetches.
 */
public final class LoopbackOidcServer implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private final AtomicInteger discoveryFetches = new AtomicInteger();
    private final AtomicBoolean failing = new AtomicBoolean();
    private volatile String issuerOverride;

    public LoopbackOidcServer(Supplier<String> jwks) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/.well-known/openid-configuration", ex -> {
            discoveryFetches.incrementAndGet();
            String iss = issuerOverride != null ? issuerOverride : issuer();
            reply(ex, "{\"issuer\":\"" + iss + "\",\"jwks_uri\":\"" + issuer() + "/openid/v1/jwks\","
                    + "\"response_types_supported\":[\"id_token\"],\"subject_types_supported\":[\"public\"],"
                    + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}");
        });
        server.createContext("/openid/v1/jwks", ex -> {
            jwksFetches.incrementAndGet();
            reply(ex, jwks.get());
        });
        server.start();
    }

    private void reply(HttpExchange ex, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (failing.get()) {
            ex.sendResponseHeaders(500, -1);
        } else {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String discoveryUrl() {
        return issuer() + "/.well-known/openid-configuration";
    }

    public void failing(boolean fail) {
        failing.set(fail);
    }

    /** Makes the discovery document name another issuer than the one it is served for. */
    public void announceIssuer(String issuer) {
        this.issuerOverride = issuer;
    }

    public int jwksFetches() {
        return jwksFetches.get();
    }

    public int discoveryFetches() {
        return discoveryFetches.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
