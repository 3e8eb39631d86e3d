package io.vivace.app;

import io.vivace.common.storage.S3ProxyServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the tests that run the single binary against an S3 bucket: one s3proxy server per test class, a fresh
 * bucket and data folder per test, and the server's injected faults healed after each test.
 */
abstract class S3BucketTest {

    static S3ProxyServer s3;

    @TempDir
    Path dir;
    S3Bucket bucket;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = new S3ProxyServer();
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @BeforeEach
    void newBucket() {
        bucket = new S3Bucket(s3);
    }

    @AfterEach
    void healAndCloseBucket() {
        s3.faults().heal();
        bucket.close();
    }
}
