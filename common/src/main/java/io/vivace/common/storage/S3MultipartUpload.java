package io.vivace.common.storage;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Uploads one local file as an S3 multipart upload, part after part, and aborts the upload when anything fails
 * so that no orphaned parts keep costing storage. The object appears only at completion, whole.
 */
final class S3MultipartUpload {

    /** S3's limit on the number of parts of one upload. */
    private static final int MAX_PARTS = 10_000;

    private final S3Client client;
    private final String bucket;
    private final String objectKey;
    private final long configuredPartSize;

    S3MultipartUpload(S3Client client, String bucket, String objectKey, long partSize) {
        this.client = client;
        this.bucket = bucket;
        this.objectKey = objectKey;
        this.configuredPartSize = partSize;
    }

    void upload(Path source, long size) throws IOException {
        // Grow the parts for files that would otherwise need more than S3 allows.
        long partSize = Math.max(configuredPartSize, (size + MAX_PARTS - 1) / MAX_PARTS);
        String uploadId;
        try {
            uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key(objectKey)).uploadId();
        } catch (SdkException e) {
            throw new IOException("starting multipart upload of " + objectKey + " to bucket " + bucket + " failed: " + e.getMessage(), e);
        }
        try (FileChannel file = FileChannel.open(source, StandardOpenOption.READ)) {
            List<CompletedPart> parts = new ArrayList<>();
            // One buffer, reused: parts go up one at a time, and retries re-read it through fresh streams.
            byte[] buffer = new byte[(int) Math.min(partSize, size)];
            long offset = 0;
            for (int partNumber = 1; offset < size; partNumber++) {
                int length = (int) Math.min(partSize, size - offset);
                readFully(file, buffer, offset, length);
                int number = partNumber;
                String eTag = client.uploadPart(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId).partNumber(number),
                        RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length,
                                "application/octet-stream")).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
                offset += length;
            }
            client.completeMultipartUpload(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (IOException | RuntimeException e) {
            abort(uploadId, e);
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException("multipart upload of " + objectKey + " to bucket " + bucket + " failed (aborted): "
                    + e.getMessage(), e);
        }
    }

    private void abort(String uploadId, Exception cause) {
        try {
            client.abortMultipartUpload(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId));
        } catch (SdkException e) {
            cause.addSuppressed(e);
        }
    }

    private static void readFully(FileChannel file, byte[] buffer, long offset, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(buffer, 0, length);
        while (buf.hasRemaining()) {
            if (file.read(buf, offset + buf.position()) < 0) {
                throw new EOFException("file shrank while it was being uploaded (at byte " + (offset + buf.position()) + ")");
            }
        }
    }
}
