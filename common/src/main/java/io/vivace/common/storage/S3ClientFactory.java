package io.vivace.common.storage;

import io.vivace.common.config.ConfigException;
import io.vivace.common.config.VivaceConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Turns {@code storage.trace.s3} into an {@link S3Client}, refusing unusable settings with the key at fault. */
public final class S3ClientFactory {

    private static final String KEY = "storage.trace.s3.";
    private static final long MAX_PART_SIZE = 5L << 30;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration BACKOFF_BASE = Duration.ofMillis(100);
    private static final Duration BACKOFF_MAX = Duration.ofSeconds(20);

    private S3ClientFactory() {
    }

    public static S3Client create(VivaceConfig.S3 config) {
        return builder(config).build();
    }

    /** The configured builder, for callers (tests) that add to it before building. */
    public static S3ClientBuilder builder(VivaceConfig.S3 config) {
        validate(config);
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT))
                .region(Region.of(config.region()))
                .forcePathStyle(config.forcepathstyle())
                .credentialsProvider(credentials(config))
                .requestChecksumCalculation(requestChecksums(config.requestChecksumCalculation()))
                .responseChecksumValidation(responseChecksums(config.responseChecksumValidation()))
                .overrideConfiguration(o -> o
                        .apiCallTimeout(config.apiCallTimeout())
                        .apiCallAttemptTimeout(config.apiCallAttemptTimeout())
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(config.maxRetries() + 1)
                                .backoffStrategy(BackoffStrategy.exponentialDelay(BACKOFF_BASE, BACKOFF_MAX))
                                .build()));
        URI endpoint = endpoint(config);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }

    /** The endpoint URI the client talks to, or null for AWS S3's regional endpoint. */
    public static URI endpoint(VivaceConfig.S3 config) {
        String endpoint = config.endpoint().trim();
        if (endpoint.isEmpty()) {
            return null;
        }
        String url = endpoint.contains("://") ? endpoint : (config.insecure() ? "http://" : "https://") + endpoint;
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new URISyntaxException(url, "expected host[:port] or an http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(KEY + "endpoint '" + endpoint + "' is not usable: " + e.getMessage());
        }
    }

    /** How error messages name where the bucket lives. */
    static String describeEndpoint(VivaceConfig.S3 config) {
        URI endpoint = endpoint(config);
        return endpoint != null ? endpoint.toString() : "AWS S3 (region " + config.region() + ")";
    }

    private static void validate(VivaceConfig.S3 config) {
        if (config.bucket().isBlank()) {
            throw new ConfigException(KEY + "bucket is required when storage.trace.backend is 's3'");
        }
        if (config.accessKey().isEmpty() != config.secretKey().isEmpty()) {
            String missing = config.accessKey().isEmpty() ? "access_key" : "secret_key";
            throw new ConfigException(KEY + missing + " is empty; set both access_key and secret_key, "
                    + "or neither to use the AWS default credential chain");
        }
        if (config.partSize() < VivaceConfig.S3.MIN_PART_SIZE || config.partSize() > MAX_PART_SIZE) {
            throw new ConfigException(KEY + "part_size " + config.partSize() + " is outside S3's part size limits ["
                    + VivaceConfig.S3.MIN_PART_SIZE + ", " + MAX_PART_SIZE + "]");
        }
        if (config.maxRetries() < 0) {
            throw new ConfigException(KEY + "max_retries must not be negative");
        }
        if (!isPositive(config.apiCallTimeout())) {
            throw new ConfigException(KEY + "api_call_timeout must be positive");
        }
        if (!isPositive(config.apiCallAttemptTimeout())) {
            throw new ConfigException(KEY + "api_call_attempt_timeout must be positive");
        }
        requestChecksums(config.requestChecksumCalculation());
        responseChecksums(config.responseChecksumValidation());
        endpoint(config);
    }

    private static boolean isPositive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    private static AwsCredentialsProvider credentials(VivaceConfig.S3 config) {
        if (config.accessKey().isEmpty()) {
            return DefaultCredentialsProvider.builder().build();
        }
        AwsCredentials credentials = config.sessionToken().isEmpty()
                ? AwsBasicCredentials.create(config.accessKey(), config.secretKey())
                : AwsSessionCredentials.create(config.accessKey(), config.secretKey(), config.sessionToken());
        return StaticCredentialsProvider.create(credentials);
    }

    private static RequestChecksumCalculation requestChecksums(String value) {
        return switch (checksumSetting("request_checksum_calculation", value)) {
            case "when_required" -> RequestChecksumCalculation.WHEN_REQUIRED;
            default -> RequestChecksumCalculation.WHEN_SUPPORTED;
        };
    }

    private static ResponseChecksumValidation responseChecksums(String value) {
        return switch (checksumSetting("response_checksum_validation", value)) {
            case "when_required" -> ResponseChecksumValidation.WHEN_REQUIRED;
            default -> ResponseChecksumValidation.WHEN_SUPPORTED;
        };
    }

    private static String checksumSetting(String key, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (!v.equals("when_required") && !v.equals("when_supported")) {
            throw new ConfigException(KEY + key + " '" + value + "' is not one of when_required, when_supported");
        }
        return v;
    }
}
