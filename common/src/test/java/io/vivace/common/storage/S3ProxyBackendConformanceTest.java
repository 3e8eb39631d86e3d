package io.vivace.common.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vivace.common.config.VivaceConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The conformance suite against an in-process s3proxy; list pages of 2 keys make every listing paginate. */
class S3ProxyBackendConformanceTest extends BackendConformanceTest {

    private static S3ProxyServer server;
    private final RecordingInterceptor recorder = new RecordingInterceptor();

    @BeforeAll
    static void startServer() throws Exception {
        server = new S3ProxyServer();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Override
    Backend openEmptyBackend(Path folder) {
        VivaceConfig.S3 config = server.config(server.createBucket(), "traces", PART_SIZE);
        return new S3Backend(recorder.client(config), config, 2);
    }

    @Override
    void assertUploadedInParts(String key, int parts) {
        assertEquals(1, recorder.count("CreateMultipartUpload"));
        assertEquals(parts, recorder.count("UploadPart"));
        assertEquals(1, recorder.count("CompleteMultipartUpload"));
    }
}
