package io.vivace.common.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vivace.common.config.VivaceConfig;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MinIOContainer;
import software.amazon.awssdk.services.s3.S3Client;

/** The conformance suite against a real MinIO in a container; skipped where no Docker engine runs. */
class MinioBackendConformanceTest extends BackendConformanceTest {

    private static final String IMAGE = "minio/minio:RELEASE.2023-09-04T19-57-37Z";
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static MinIOContainer minio;
    private final RecordingInterceptor recorder = new RecordingInterceptor();

    @BeforeAll
    static void startMinio() {
        assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "no Docker engine: MinIO conformance tests skipped");
        minio = new MinIOContainer(IMAGE);
        minio.start();
    }

    @AfterAll
    static void stopMinio() {
        if (minio != null) {
            minio.stop();
        }
    }

    @Override
    Backend openEmptyBackend(Path folder) {
        String bucket = "vivace-test-" + BUCKETS.incrementAndGet();
        VivaceConfig.S3 config = new VivaceConfig.S3(bucket, "traces", minio.getS3URL(), "us-east-1", minio.getUserName(),
                minio.getPassword(), null, true, true, PART_SIZE, 1, null, null, null, null);
        try (S3Client admin = S3ClientFactory.create(config)) {
            admin.createBucket(b -> b.bucket(bucket));
        }
        return new S3Backend(recorder.client(config), config, 2);
    }

    @Override
    void assertUploadedInParts(String key, int parts) {
        assertEquals(parts, recorder.count("UploadPart"));
        assertEquals(1, recorder.count("CompleteMultipartUpload"));
    }
}
