package io.vivace.common.storage;

import io.vivace.common.config.VivaceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link Backend} over one bucket of S3-compatible storage; every key is stored under the configured prefix.
 * Objects above {@code part_size} go up as multipart uploads.
 */
public final class S3Backend implements Backend {

    private static final int DEFAULT_LIST_PAGE_SIZE = 1000;
    private static final String CONTENT_TYPE = "application/octet-stream";

    private final S3Client client;
    private final String bucket;
    private final String keyPrefix;
    private final long partSize;
    private final int listPageSize;
    private final String endpoint;

    /**
     * Opens the bucket described by {@code config} and checks, with HeadBucket, that it exists and the
     * credentials may use it.
     *
     * @throws io.vivace.common.config.ConfigException naming the setting at fault, the bucket and the endpoint
     */
    public static S3Backend open(VivaceConfig.S3 config) {
        return open(config, DEFAULT_LIST_PAGE_SIZE);
    }

    static S3Backend open(VivaceConfig.S3 config, int listPageSize) {
        S3Client client = S3ClientFactory.create(config);
        try {
            S3BucketCheck.verify(client, config);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return new S3Backend(client, config, listPageSize);
    }

    /** Takes ownership of {@code client}; does not check the bucket. */
    S3Backend(S3Client client, VivaceConfig.S3 config, int listPageSize) {
        this.client = client;
        this.bucket = config.bucket();
        this.keyPrefix = normalizePrefix(config.prefix());
        this.partSize = config.partSize();
        this.listPageSize = listPageSize;
        this.endpoint = S3ClientFactory.describeEndpoint(config);
    }

    /** {@code ""} or {@code "a/b/"}: Tempo's prefix with surrounding slashes trimmed and one '/' appended. */
    static String normalizePrefix(String prefix) {
        String p = prefix.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? "" : p + "/";
    }

    private String objectKey(String key) {
        return keyPrefix + ObjectKeys.requireValid(key);
    }

    @Override
    public void write(String key, byte[] data) throws IOException {
        String objectKey = objectKey(key);
        // The provider hands out fresh streams over the caller's array, so retries need no copy of the data.
        put(key, objectKey, RequestBody.fromContentProvider(ContentStreamProvider.fromByteArrayUnsafe(data), data.length, CONTENT_TYPE));
    }

    @Override
    public void writeFile(String key, Path source) throws IOException {
        String objectKey = objectKey(key);
        long size = Files.size(source);
        if (size <= partSize) {
            put(key, objectKey, RequestBody.fromFile(source));
        } else {
            new S3MultipartUpload(client, bucket, objectKey, partSize).upload(source, size);
        }
    }

    private void put(String key, String objectKey, RequestBody body) throws IOException {
        try {
            client.putObject(b -> b.bucket(bucket).key(objectKey), body);
        } catch (SdkException e) {
            throw failure("PUT", key, e);
        }
    }

    @Override
    public byte[] read(String key) throws IOException {
        String objectKey = objectKey(key);
        try {
            return client.getObjectAsBytes(b -> b.bucket(bucket).key(objectKey)).asByteArrayUnsafe();
        } catch (SdkException e) {
            throw failure("GET", key, e);
        }
    }

    @Override
    public byte[] readRange(String key, long offset, int length) throws IOException {
        ObjectKeys.requireValidRange(offset, length);
        String objectKey = objectKey(key);
        if (length == 0) {
            // HTTP has no empty byte range; the answer only depends on the size.
            long size = size(key);
            if (offset > size) {
                throw new InvalidRangeException(key, offset, length, size);
            }
            return new byte[0];
        }
        String range = "bytes=" + offset + "-" + (offset + length - 1);
        byte[] bytes;
        try {
            bytes = client.getObjectAsBytes(b -> b.bucket(bucket).key(objectKey).range(range)).asByteArrayUnsafe();
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                throw new InvalidRangeException(key, offset, length, -1);
            }
            throw failure("GET " + range, key, e);
        } catch (SdkException e) {
            throw failure("GET " + range, key, e);
        }
        if (bytes.length < length) {
            // S3 answers a range that starts inside the object but ends past it with the bytes that exist.
            throw new InvalidRangeException(key, offset, length, offset + bytes.length);
        }
        if (bytes.length > length) {
            throw new IOException("GET " + range + " of " + key + " in bucket " + bucket + " at " + endpoint
                    + " returned " + bytes.length + " bytes: the server ignored the Range header");
        }
        return bytes;
    }

    @Override
    public long size(String key) throws IOException {
        String objectKey = objectKey(key);
        try {
            return client.headObject(b -> b.bucket(bucket).key(objectKey)).contentLength();
        } catch (SdkException e) {
            throw failure("HEAD", key, e);
        }
    }

    @Override
    public boolean exists(String key) throws IOException {
        try {
            size(key);
            return true;
        } catch (ObjectNotFoundException e) {
            return false;
        }
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        ListObjectsV2Request request = ListObjectsV2Request.builder()
                .bucket(bucket).prefix(keyPrefix + prefix).maxKeys(listPageSize).build();
        List<String> keys = new ArrayList<>();
        try {
            for (ListObjectsV2Response page : client.listObjectsV2Paginator(request)) {
                for (S3Object object : page.contents()) {
                    keys.add(object.key().substring(keyPrefix.length()));
                }
            }
        } catch (SdkException e) {
            throw failure("LIST", prefix, e);
        }
        // S3 orders by UTF-8 bytes; the contract is String order, which differs only beyond the BMP.
        keys.sort(null);
        return keys;
    }

    @Override
    public List<String> children(String prefix) throws IOException {
        String folder = keyPrefix + ObjectKeys.folder(prefix);
        ListObjectsV2Request request = ListObjectsV2Request.builder()
                .bucket(bucket).prefix(folder).delimiter("/").maxKeys(listPageSize).build();
        TreeSet<String> names = new TreeSet<>();
        try {
            for (ListObjectsV2Response page : client.listObjectsV2Paginator(request)) {
                for (CommonPrefix common : page.commonPrefixes()) {
                    String sub = common.prefix();
                    names.add(sub.substring(folder.length(), sub.length() - 1));
                }
                for (S3Object object : page.contents()) {
                    names.add(object.key().substring(folder.length()));
                }
            }
        } catch (SdkException e) {
            throw failure("LIST", prefix, e);
        }
        names.remove(""); // a "folder marker" object named exactly like the prefix is not a child
        return new ArrayList<>(names);
    }

    @Override
    public void delete(String key) throws IOException {
        String objectKey = objectKey(key);
        try {
            client.deleteObject(b -> b.bucket(bucket).key(objectKey));
        } catch (SdkException e) {
            IOException failure = failure("DELETE", key, e);
            if (!(failure instanceof ObjectNotFoundException)) {
                throw failure;
            }
        }
    }

    /** Maps a failed call: a missing key becomes {@link ObjectNotFoundException}, anything else names the call. */
    private IOException failure(String operation, String key, SdkException e) {
        if (e instanceof S3Exception s3 && s3.statusCode() == 404 && !"NoSuchBucket".equals(errorCode(s3))) {
            return new ObjectNotFoundException(key);
        }
        return new IOException(operation + " " + key + " in bucket " + bucket + " at " + endpoint + " failed: "
                + e.getMessage(), e);
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "S3Backend[bucket=" + bucket + ", prefix=" + keyPrefix + ", endpoint=" + endpoint + "]";
    }
}
