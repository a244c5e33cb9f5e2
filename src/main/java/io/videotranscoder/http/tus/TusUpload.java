package io.videotranscoder.http.tus;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A resumable upload as Redis holds it, so that any API instance on the shared data root can continue it.
 *
 * @param offset   how many bytes the server has (the file may hold more, written by a request that failed before it
 *                 could say so: they are cut off before the next bytes are written)
 * @param metadata the client's {@code Upload-Metadata}, decoded
 * @param tenant   whose upload it is; only its tenant's keys see it
 * @param owner    the id of the key that created it (null: none), whose job it becomes whoever sends its last byte
 * @param job      the job it became, once complete; null before
 */
public record TusUpload(String id, long length, long offset, Map<String, String> metadata, String tenant,
        String owner, Instant createdAt, Instant expiresAt, String job) {

    public TusUpload {
        metadata = Map.copyOf(metadata);
    }

    public boolean complete() {
        return offset == length;
    }

    public long remaining() {
        return length - offset;
    }

    /** This upload, if {@code offset} is where it stands; else a refusal (409) saying where it does. */
    TusUpload requireAt(long offset) {
        if (offset != this.offset) {
            throw new TusError(409, "Upload-Offset is " + offset + ", but the upload has " + this.offset
                                    + " bytes: ask with HEAD and continue from there.");
        }
        return this;
    }

    /** An upload past its maximum age takes no more bytes: a refusal (410). */
    void requireYoungerThan(Duration maxAge, Instant now) {
        if (createdAt.plus(maxAge).isBefore(now)) {
            throw new TusError(410, "Upload " + id + " is older than the " + maxAge.toHours() + " hours an upload may"
                                    + " take (TRANSCODER_UPLOAD_MAX_AGE_HOURS): upload the file again.");
        }
    }

    /** A body of more bytes than the upload lacks is refused (413), before any is read. */
    void requireRoomFor(long bodyLength) {
        if (bodyLength > remaining()) {
            throw new TusError(413, "The body has " + bodyLength + " bytes, more than the " + remaining()
                                   + " bytes the upload lacks (Upload-Length " + length + ").");
        }
    }

    /** The upload at another offset, expiring at {@code expires}. */
    public TusUpload at(long newOffset, Instant expires) {
        return new TusUpload(id, length, newOffset, metadata, tenant, owner, createdAt, expires, job);
    }

    public TusUpload withJob(String jobId) {
        return new TusUpload(id, length, offset, metadata, tenant, owner, createdAt, expiresAt, jobId);
    }
}
