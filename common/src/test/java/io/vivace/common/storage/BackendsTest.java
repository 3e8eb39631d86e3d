package io.vivace.common.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vivace.common.config.ConfigException;
import io.vivace.common.config.ConfigLoader;
import io.vivace.common.config.VivaceConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The factory's choice of backend and its refusals; none of these reach a server. */
class BackendsTest {

    @TempDir
    Path tempDir;

    private static VivaceConfig.Trace trace(String yaml) {
        return new ConfigLoader(Map.<String, String>of()::get).parse(yaml).storage().trace();
    }

    @Test
    void localBackendIsTheDefault() throws Exception {
        VivaceConfig.Trace trace = trace("storage:\n  trace:\n    local:\n      path: " + tempDir.resolve("blocks") + "\n");
        try (Backend backend = Backends.open(trace)) {
            assertInstanceOf(LocalBackend.class, backend);
            assertEquals(tempDir.resolve("blocks").toAbsolutePath(), ((LocalBackend) backend).root());
        }
    }

    @Test
    void unknownBackendIsRefusedByKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> Backends.open(trace("storage:\n  trace:\n    backend: gcs\n")));
        assertEquals("storage.trace.backend 'gcs' is not supported (supported: local, s3)", e.getMessage());
    }

    @Test
    void s3WithoutBucketIsRefusedByKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> Backends.open(trace("storage:\n  trace:\n    backend: s3\n")));
        assertEquals("storage.trace.s3.bucket is required when storage.trace.backend is 's3'", e.getMessage());
    }

    @Test
    void unusableS3SettingsAreRefusedByKey() {
        assertRefused("access_key: AK", "storage.trace.s3.secret_key is empty");
        assertRefused("secret_key: SK", "storage.trace.s3.access_key is empty");
        assertRefused("part_size: 1048576", "storage.trace.s3.part_size 1048576 is outside");
        assertRefused("request_checksum_calculation: always", "storage.trace.s3.request_checksum_calculation 'always'");
        assertRefused("response_checksum_validation: never", "storage.trace.s3.response_checksum_validation 'never'");
        assertRefused("endpoint: 'http://'", "storage.trace.s3.endpoint 'http://' is not usable");
        assertRefused("max_retries: -1", "storage.trace.s3.max_retries");
        assertRefused("api_call_timeout: 0s", "storage.trace.s3.api_call_timeout");
    }

    private static void assertRefused(String setting, String messageStart) {
        VivaceConfig.Trace trace = trace("storage:\n  trace:\n    backend: s3\n    s3:\n      bucket: traces\n      " + setting + "\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Backends.open(trace), setting);
        if (!e.getMessage().startsWith(messageStart)) {
            throw new AssertionError("for '" + setting + "' expected a message starting with '" + messageStart + "' but got '"
                    + e.getMessage() + "'");
        }
    }

    @Test
    void endpointFollowsTempoHostPortAndInsecure() {
        assertEquals("https://s3.us-west-004.backblazeb2.com",
                S3ClientFactory.endpoint(s3("endpoint: s3.us-west-004.backblazeb2.com")).toString());
        assertEquals("http://minio:9000", S3ClientFactory.endpoint(s3("endpoint: minio:9000\n      insecure: true")).toString());
        assertEquals("http://minio:9000", S3ClientFactory.endpoint(s3("endpoint: http://minio:9000")).toString());
        assertNull(S3ClientFactory.endpoint(s3("region: eu-west-1")), "AWS S3's own endpoint");
    }

    @Test
    void prefixIsNormalisedToAFolder() {
        assertEquals("", S3Backend.normalizePrefix(""));
        assertEquals("", S3Backend.normalizePrefix("/"));
        assertEquals("traces/", S3Backend.normalizePrefix("traces"));
        assertEquals("a/traces/", S3Backend.normalizePrefix("/a/traces/"));
    }

    private static VivaceConfig.S3 s3(String settings) {
        return trace("storage:\n  trace:\n    s3:\n      " + settings + "\n").s3();
    }
}
