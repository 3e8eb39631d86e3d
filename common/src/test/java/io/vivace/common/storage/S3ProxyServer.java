package io.vivace.common.storage;

import io.vivace.common.config.VivaceConfig;
import java.net.URI;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

/**
 * An in-memory S3 server (s3proxy, transient store) on 127.0.0.1 and an ephemeral port, for tests; its store can be
 * made to fail ({@link #faults()}).
 */
public final class S3ProxyServer implements AutoCloseable {

    public static final String ACCESS_KEY = "vivace-access";
    public static final String SECRET_KEY = "vivace-secret";
    public static final String REGION = "us-west-004";

    private final FaultyBlobStore store;
    private S3Proxy proxy;
    private int port;
    private final AtomicInteger buckets = new AtomicInteger();

    public S3ProxyServer() throws Exception {
        store = new FaultyBlobStore(BlobStores.create("transient", new Properties()));
        start();
    }

    /** Serves the store, unless already serving: on an ephemeral port the first time, on the same port after {@link #stop()}. */
    public void start() throws Exception {
        if (proxy != null && "STARTED".equals(proxy.getState())) {
            return;
        }
        proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start(); // Jetty's start() returns once the connector is bound
        if (!"STARTED".equals(proxy.getState())) {
            throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
        }
        port = proxy.getPort();
    }

    /** Stops the server (connections are refused); the store keeps its objects for {@link #start()}. */
    public void stop() throws Exception {
        proxy.stop();
    }

    /** host:port, the way Tempo configs write an endpoint. */
    public String endpoint() {
        return "127.0.0.1:" + port;
    }

    /** Creates a new, empty bucket. */
    public String createBucket() {
        String bucket = "vivace-test-" + buckets.incrementAndGet();
        store.createContainer(bucket);
        return bucket;
    }

    /** The switches that make the server fail. */
    public FaultyBlobStore faults() {
        return store;
    }

    /** Settings for {@code bucket} on this server, as a Tempo user would write them for MinIO. */
    public VivaceConfig.S3 config(String bucket, String prefix, long partSize) {
        return config(bucket, prefix, partSize, ACCESS_KEY, SECRET_KEY);
    }

    VivaceConfig.S3 config(String bucket, String prefix, long partSize, String accessKey, String secretKey) {
        // Retries matter: s3proxy's in-memory store now and then answers 500 when a folder empties while written.
        return new VivaceConfig.S3(bucket, prefix, endpoint(), REGION, accessKey, secretKey, null,
                true, true, partSize, 3, null, null, null, null);
    }

    /** The {@code storage.trace.s3} section of a server config for {@code bucket} (YAML, indented for that place). */
    public String yaml(String bucket, int maxRetries) {
        return """
                    s3:
                      bucket: %s
                      endpoint: %s
                      region: %s
                      access_key: %s
                      secret_key: %s
                      insecure: true
                      forcepathstyle: true
                      max_retries: %d
                """.formatted(bucket, endpoint(), REGION, ACCESS_KEY, SECRET_KEY, maxRetries);
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
