package io.vivace.common.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vivace.common.config.ConfigException;
import io.vivace.common.config.VivaceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** What is particular to S3: the start-up check, the key prefix, paging, multipart abort and checksum headers. */
class S3BackendTest {

    private static final long PART_SIZE = 5L << 20;
    private static S3ProxyServer server;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void startServer() throws Exception {
        server = new S3ProxyServer();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void missingBucketFailsTheStartUpCheckNamingBucketAndEndpoint() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> S3Backend.open(server.config("no-such-bucket", "", PART_SIZE)));

        assertEquals("bucket 'no-such-bucket' at http://" + server.endpoint()
                + " does not exist: create it, or fix storage.trace.s3.bucket / endpoint", e.getMessage());
    }

    @Test
    void wrongSecretFailsTheStartUpCheckNamingBucketEndpointAndKeys() {
        String bucket = server.createBucket();
        ConfigException e = assertThrows(ConfigException.class,
                () -> S3Backend.open(server.config(bucket, "", PART_SIZE, S3ProxyServer.ACCESS_KEY, "wrong-secret")));

        assertAccessDenied(e, bucket);
    }

    @Test
    void unknownAccessKeyFailsTheStartUpCheck() {
        String bucket = server.createBucket();
        ConfigException e = assertThrows(ConfigException.class,
                () -> S3Backend.open(server.config(bucket, "", PART_SIZE, "nobody", S3ProxyServer.SECRET_KEY)));

        assertAccessDenied(e, bucket);
    }

    private static void assertAccessDenied(ConfigException e, String bucket) {
        assertTrue(e.getMessage().startsWith("access to bucket '" + bucket + "' at http://" + server.endpoint()
                + " was denied (HTTP 403): check storage.trace.s3.access_key and secret_key"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong-secret"), "the secret stays out of the message");
    }

    @Test
    void unreachableEndpointFailsTheStartUpCheck() throws Exception {
        VivaceConfig.S3 config;
        try (S3ProxyServer stopped = new S3ProxyServer()) {
            config = stopped.config("traces", "", PART_SIZE);
        }
        ConfigException e = assertThrows(ConfigException.class, () -> S3Backend.open(config));

        assertTrue(e.getMessage().startsWith("cannot reach bucket 'traces' at http://" + config.endpoint()), e.getMessage());
    }

    @Test
    void factoryOpensTheS3BackendTheConfigurationSelects() throws Exception {
        VivaceConfig.Trace trace = new VivaceConfig.Trace("s3", null, server.config(server.createBucket(), "", PART_SIZE),
                null, null, null, null);
        try (Backend backend = Backends.open(trace)) {
            assertInstanceOf(S3Backend.class, backend);
            backend.write("t1/b1/meta.json", new byte[] {42});
            assertArrayEquals(new byte[] {42}, backend.read("t1/b1/meta.json"));
        }
    }

    @Test
    void objectsLiveUnderTheConfiguredPrefix() throws Exception {
        String bucket = server.createBucket();
        try (S3Backend backend = S3Backend.open(server.config(bucket, "/vivace/traces/", PART_SIZE));
             S3Client raw = S3ClientFactory.create(server.config(bucket, "", PART_SIZE))) {
            backend.write("t1/b1/meta.json", new byte[] {1});

            assertEquals(List.of("vivace/traces/t1/b1/meta.json"),
                    raw.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList());
            assertEquals(List.of("t1"), backend.children(""));
            assertEquals(List.of("t1/b1/meta.json"), backend.list(""));
        }
    }

    @Test
    void listingsFollowEveryPage() throws Exception {
        VivaceConfig.S3 config = server.config(server.createBucket(), "", PART_SIZE);
        RecordingInterceptor recorder = new RecordingInterceptor();
        try (S3Backend backend = new S3Backend(recorder.client(config), config, 2)) {
            for (int i = 0; i < 5; i++) {
                backend.write("t" + i + "/b/meta.json", new byte[] {(byte) i});
            }

            assertEquals(5, backend.list("").size());
            assertEquals(3, recorder.count("ListObjectsV2"), "pages of 2, 2 and 1 keys");
            assertEquals(List.of("t0", "t1", "t2", "t3", "t4"), backend.children(""));
            assertEquals(6, recorder.count("ListObjectsV2"), "pages of 2, 2 and 1 common prefixes");
        }
    }

    @Test
    void failedMultipartUploadIsAbortedAndLeavesNoObject() throws Exception {
        String bucket = server.createBucket();
        VivaceConfig.S3 config = server.config(bucket, "", PART_SIZE);
        Path file = tempDir.resolve("data.parquet");
        Files.write(file, BackendConformanceTest.randomBytes(12 << 20, 9));
        RecordingInterceptor recorder = new RecordingInterceptor();
        try (S3Backend backend = new S3Backend(recorder.client(config), config, 1000);
             S3Client raw = S3ClientFactory.create(config)) {
            recorder.failWhen(operation -> operation.equals("UploadPart") && recorder.count("UploadPart") == 2);

            IOException e = assertThrows(IOException.class, () -> backend.writeFile("t1/b1/data.parquet", file));

            assertTrue(e.getMessage().contains("failed (aborted)"), e.getMessage());
            assertEquals(1, recorder.count("AbortMultipartUpload"));
            assertEquals(0, recorder.count("CompleteMultipartUpload"));
            assertFalse(backend.exists("t1/b1/data.parquet"));
            assertEquals(List.of(), raw.listMultipartUploads(b -> b.bucket(bucket)).uploads(), "no parts left behind");
        }
    }

    @Test
    void checksumsAreOnlySentWhereS3RequiresThemByDefault() throws Exception {
        String bucket = server.createBucket();
        RecordingInterceptor whenRequired = new RecordingInterceptor();
        VivaceConfig.S3 config = server.config(bucket, "", PART_SIZE);
        try (S3Backend backend = new S3Backend(whenRequired.client(config), config, 1000)) {
            backend.write("t1/b1/meta.json", new byte[] {1, 2, 3});
        }
        RecordingInterceptor whenSupported = new RecordingInterceptor();
        VivaceConfig.S3 supported = new VivaceConfig.S3(bucket, "", config.endpoint(), config.region(), config.accessKey(),
                config.secretKey(), null, true, true, PART_SIZE, 1, null, null, "when_supported", "when_supported");
        try (S3Backend backend = new S3Backend(whenSupported.client(supported), supported, 1000)) {
            backend.write("t1/b1/meta.json", new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, backend.read("t1/b1/meta.json"));
        }

        assertFalse(sendsChecksum(whenRequired, "PutObject"), "when_required: no flexible checksum on PutObject");
        assertTrue(sendsChecksum(whenSupported, "PutObject"), "when_supported: the SDK adds one");
        assertEquals(List.of("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"), whenRequired.transmitted.stream()
                .filter(call -> call.operation().equals("PutObject")).findFirst().orElseThrow()
                .headers().get("x-amz-content-sha256"), "over http SigV4 still signs every chunk of the payload");
    }

    private static boolean sendsChecksum(RecordingInterceptor recorder, String operation) {
        return recorder.transmitted.stream()
                .filter(call -> call.operation().equals(operation))
                .map(RecordingInterceptor.Call::headers)
                .flatMap(headers -> headers.keySet().stream())
                .anyMatch(name -> name.toLowerCase().startsWith("x-amz-checksum-")
                        || name.equalsIgnoreCase("x-amz-trailer")
                        || name.equalsIgnoreCase("x-amz-sdk-checksum-algorithm"));
    }

}
