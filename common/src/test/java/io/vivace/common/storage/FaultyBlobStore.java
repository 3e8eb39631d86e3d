package io.vivace.common.storage;

import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.S3Exceptions;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The storage behind the test S3 server, with switches that make it answer 503 Service Unavailable: to every
 * request (the server is down), or to writes and deletes of chosen keys (it fails in the middle of a block).
 * Switching is immediate and deterministic: the next request sees the new state.
 */
public final class FaultyBlobStore extends ForwardingBlobStore {

    private volatile boolean down;
    private volatile Predicate<String> failingWrites = key -> false;
    private final AtomicInteger refused = new AtomicInteger();

    FaultyBlobStore(BlobStore delegate) {
        super(delegate);
    }

    /** Every request fails from now on, as when the server is unreachable. */
    public void goDown() {
        down = true;
    }

    /** Writes and deletes of keys that match fail from now on; everything else works. */
    public void failWrites(Predicate<String> keys) {
        failingWrites = keys;
    }

    /** Back to normal. */
    public void heal() {
        down = false;
        failingWrites = key -> false;
    }

    /** How many requests were refused so far. */
    public int refused() {
        return refused.get();
    }

    private void checkRead() {
        if (down) {
            refuse();
        }
    }

    private void checkWrite(String key) {
        if (down || failingWrites.test(key)) {
            refuse();
        }
    }

    private void refuse() {
        refused.incrementAndGet();
        throw S3Exceptions.fromStatusCode(503);
    }

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        checkRead();
        return super.list(request);
    }

    @Override
    public HeadBucketResponse headBucket(HeadBucketRequest request) {
        checkRead();
        return super.headBucket(request);
    }

    @Override
    public boolean blobExists(String container, String key) {
        checkRead();
        return super.blobExists(container, key);
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        checkRead();
        return super.blobMetadata(request);
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        checkRead();
        return super.getBlob(request);
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream data) {
        checkWrite(request.key());
        return super.putBlob(request, data);
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        checkWrite(request.destinationKey());
        return super.copyBlob(request);
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        checkWrite(request.key());
        return super.removeBlob(request);
    }

    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
        checkWrite(request.key());
        return super.initiateMultipartUpload(request);
    }

    @Override
    public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request, InputStream data) {
        checkWrite(request.key());
        return super.uploadMultipartPart(upload, request, data);
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload, CompleteMultipartUploadRequest request) {
        checkWrite(request.key());
        return super.completeMultipartUpload(upload, request);
    }
}
