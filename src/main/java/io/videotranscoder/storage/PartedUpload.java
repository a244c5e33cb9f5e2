package io.videotranscoder.storage;

import java.io.ByteArrayInputStream;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentSkipListMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/**
 * One object stored part by part as its bytes arrive (an S3 multipart upload), so that it is never whole in memory or
 * on a disk. Nothing is in the store until the first full part is sent, and the object exists only once
 * {@link #complete} ran: until then the upload can be given up ({@link #abort}) and leaves nothing. An object smaller
 * than one part is stored with a single PUT. Parts may be sent at once; completing and aborting wait for the upload's
 * beginning, and the caller completes only once every part it sent is stored.
 */
public final class PartedUpload {

    private static final Logger LOG = LoggerFactory.getLogger(PartedUpload.class);
    private static final String TYPE = "application/octet-stream";

    private enum State { OPEN, COMPLETED, ABORTED }

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final SortedMap<Integer, CompletedPart> parts = new ConcurrentSkipListMap<>();
    private volatile String uploadId;
    private byte[] last = new byte[0];
    private int lastLength;
    private State state = State.OPEN;

    PartedUpload(S3Client s3, String bucket, String key) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
    }

    /**
     * Sends one full part ({@code length} bytes of {@code part}, at least the store's minimum part size) as part
     * {@code number} (1, 2, ... in the order of the bytes). Parts may be sent at once from several threads.
     */
    public void send(int number, byte[] part, int length) {
        String id = begun();
        long start = System.nanoTime();
        try {
            String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(id).partNumber(number),
                    body(part, length)).eTag();
            parts.put(number, CompletedPart.builder().partNumber(number).eTag(etag).build());
        } finally {
            abortedMeanwhile(id);
        }
        LOG.debug("{}: part {} ({} bytes) sent in {} ms", key, number, length, (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * A part under way as the upload was given up may still be stored after the abort, and billed (S3 says so, and to
     * abort again once the parts under way are done): the abort is sent again after it.
     */
    private void abortedMeanwhile(String id) {
        synchronized (this) {
            if (state != State.ABORTED) {
                return;
            }
        }
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id));
        } catch (NoSuchUploadException gone) {
            // nothing was left of it
        } catch (RuntimeException e) { // never in place of the part's own failure, if it failed
            LOG.info("{}: a part sent as its upload was given up may stay until housekeeping gives up old uploads ({})",
                    key, e.toString());
        }
    }

    /** The store's id of the upload, begun with the first part. */
    private synchronized String begun() {
        requireOpen();
        if (uploadId == null) {
            uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(TYPE)).uploadId();
        }
        return uploadId;
    }

    /** The bytes after the last full part, kept until {@link #complete}: the object may still be refused. */
    public synchronized void keepLast(byte[] bytes, int length) {
        requireOpen();
        last = bytes;
        lastLength = length;
    }

    /** Stores the object whole: the kept last bytes, then the upload's completion. */
    public synchronized void complete() {
        requireOpen();
        long start = System.nanoTime();
        if (uploadId == null) {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType(TYPE), body(last, lastLength));
        } else {
            if (lastLength > 0) {
                send(parts.size() + 1, last, lastLength);
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts.values())));
        }
        state = State.COMPLETED;
        last = null;
        LOG.debug("{}: stored whole in {} ms", key, (System.nanoTime() - start) / 1_000_000);
    }

    /** Gives the upload up, unless it was completed: the parts sent are removed from the store. Idempotent. */
    public synchronized void abort() {
        if (state != State.OPEN) {
            return;
        }
        state = State.ABORTED;
        last = null;
        if (uploadId != null) {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            LOG.debug("Upload of {} aborted after {} parts", key, parts.size());
        }
    }

    public synchronized boolean completed() {
        return state == State.COMPLETED;
    }

    private void requireOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("the upload of " + key + " is " + state.name().toLowerCase());
        }
    }

    /** The part's bytes as they are, read (and re-read for a retry or a signature) without a copy. */
    private static RequestBody body(byte[] bytes, int length) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length, TYPE);
    }
}
