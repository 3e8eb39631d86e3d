package io.vivace.common.storage;

import io.vivace.common.config.ConfigException;
import io.vivace.common.config.VivaceConfig;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The start-up check: HeadBucket, with a message that says which bucket, where, and what to fix. */
final class S3BucketCheck {

    private S3BucketCheck() {
    }

    /** @throws ConfigException if the bucket is missing, the credentials are refused or the endpoint is unreachable */
    static void verify(S3Client client, VivaceConfig.S3 config) {
        String where = "bucket '" + config.bucket() + "' at " + S3ClientFactory.describeEndpoint(config);
        try {
            client.headBucket(b -> b.bucket(config.bucket()));
        } catch (S3Exception e) {
            throw new ConfigException(switch (e.statusCode()) {
                case 404 -> where + " does not exist: create it, or fix storage.trace.s3.bucket / endpoint";
                case 401, 403 -> "access to " + where + " was denied (HTTP " + e.statusCode() + "): check "
                        + "storage.trace.s3.access_key and secret_key (or the AWS default credential chain) "
                        + "and that the key may use this bucket";
                case 301, 400 -> where + " answered HTTP " + e.statusCode() + ": the bucket is probably in another "
                        + "region than storage.trace.s3.region '" + config.region() + "', or the endpoint is wrong";
                default -> "checking " + where + " failed with HTTP " + e.statusCode() + ": " + e.getMessage();
            }, e);
        } catch (SdkException e) {
            throw new ConfigException("cannot reach " + where + ": " + e.getMessage()
                    + " (check storage.trace.s3.endpoint, insecure and the credentials)", e);
        }
    }
}
