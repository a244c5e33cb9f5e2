package io.videotranscoder.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * An S3-compatible bucket as storage. A job's input is {@code <prefix><job id>/input.<ext>}; each attempt uploads its
 * outputs under {@code <prefix><job id>/<attempt>/}, so that an attempt that lost the job never overwrites the outputs
 * the job lists. Uploads and downloads of whole files are route steps (routes/storage/s3.yaml); here are the
 * look-ups, presigned URLs, removals, and the uploads the API streams into the store part by part.
 */
public class S3Storage implements Storage {

    /** A job's key under the prefix: the job's id (a random UUID, JobIds), then its file. */
    private static final Pattern JOB_KEY =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.+");

    private static final Logger LOG = LoggerFactory.getLogger(S3Storage.class);
    /**
     * A look-up runs on a thread the HTTP routes share (a download's, a retry's): a store that takes connections but
     * never answers held it for the client's socket timeout at every retry, two minutes in all.
     */
    private static final Duration LOOKUP_LIMIT = Duration.ofSeconds(10);
    /** Long enough to start a download or a player's first request; a player asks the API again for a new one. */
    private static final Duration PRESIGNED_FOR = Duration.ofMinutes(15);

    private final S3Client s3;
    private final S3Presigner presigner;
    private final StorageUri where;
    private final Duration lookupLimit;

    public S3Storage(S3Client s3, S3Presigner presigner, StorageUri where) {
        this(s3, presigner, where, LOOKUP_LIMIT);
    }

    /** @param lookupLimit how long a look-up of one object ({@link #stat}) may take, retries and all */
    S3Storage(S3Client s3, S3Presigner presigner, StorageUri where, Duration lookupLimit) {
        this.s3 = s3;
        this.presigner = presigner;
        this.where = where;
        this.lookupLimit = lookupLimit;
    }

    @Override
    public boolean local() {
        return false;
    }

    @Override
    public String outputKey(String jobId, String attempt, String name) {
        return jobId + "/" + attempt + "/" + name;
    }

    @Override
    public Optional<StoredObject> stat(String key) {
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(where.bucket()).key(where.prefix() + key)
                    .overrideConfiguration(o -> o.apiCallTimeout(lookupLimit)));
            return Optional.of(new StoredObject(head.contentLength(), head.lastModified()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public Optional<Path> file(String key) {
        return Optional.empty();
    }

    @Override
    public URI presign(String key, String contentType, String disposition) {
        return URI.create(presigner.presignGetObject(p -> p.signatureDuration(PRESIGNED_FOR)
                .getObjectRequest(g -> g.bucket(where.bucket()).key(where.prefix() + key)
                        .responseContentType(contentType).responseContentDisposition(disposition)))
                .url().toString());
    }

    @Override
    public void copy(String key, Path target) throws IOException {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        s3.getObject(b -> b.bucket(where.bucket()).key(where.prefix() + key), ResponseTransformer.toFile(target));
    }

    @Override
    public void deleteJob(String jobId) {
        delete(jobId, key -> true, true);
    }

    @Override
    public void deleteAttempt(String jobId, String attempt) {
        String folder = where.prefix() + jobId + "/" + attempt + "/";
        delete(jobId, key -> key.startsWith(folder), false);
    }

    @Override
    public void deleteOtherAttempts(String jobId, String kept) {
        String keptFolder = where.prefix() + jobId + "/" + kept + "/";
        String input = where.prefix() + jobId + "/input.";
        delete(jobId, key -> !key.startsWith(keptFolder) && !key.startsWith(input), false);
    }

    @Override
    public void deleteParts(String jobId) {
        String parts = where.prefix() + jobId + "/parts/";
        delete(jobId, key -> key.startsWith(parts), false);
    }

    @Override
    public PartedUpload partedUpload(String key) {
        return new PartedUpload(s3, where.bucket(), where.prefix() + key);
    }

    /**
     * Gives up the service's unfinished uploads begun before {@code before}: those under its prefix whose key is a
     * job's ({@code <job id>/...}), so that in a bucket it shares without a prefix another application's are left
     * alone. One the store will not give up is logged and passed over.
     */
    @Override
    public int abortUploadsBegunBefore(Instant before) {
        int aborted = 0;
        for (MultipartUpload upload : s3.listMultipartUploadsPaginator(b -> b.bucket(where.bucket())
                .prefix(where.prefix())).uploads()) {
            String key = upload.key();
            if (upload.initiated() == null || !upload.initiated().isBefore(before) || !key.startsWith(where.prefix())
                || !JOB_KEY.matcher(key.substring(where.prefix().length())).matches()) {
                continue;
            }
            try {
                s3.abortMultipartUpload(b -> b.bucket(where.bucket()).key(key).uploadId(upload.uploadId()));
                aborted++;
            } catch (NoSuchUploadException gone) {
                // completed or aborted meanwhile, by its own process or another instance's housekeeping
            } catch (S3Exception e) {
                LOG.warn("Could not give up the unfinished upload of {}: {}", key, e.getMessage());
            }
        }
        return aborted;
    }

    /**
     * Removes the job's objects that {@code doomed} accepts, a page (up to 1000) at a time.
     *
     * @param strict whether objects the store keeps fail the removal (the job's: its record stays, to be removed
     *               again), or are only logged (a clean-up that the job's own removal repeats)
     * @throws UncheckedIOException when strict and the store kept some of them
     */
    private void delete(String jobId, Predicate<String> doomed, boolean strict) {
        String folder = where.prefix() + jobId + "/";
        // Each call in a limit: housekeeping removes jobs one after another, and a store that takes connections but
        // never answers would hold each for minutes.
        for (var page : s3.listObjectsV2Paginator(b -> b.bucket(where.bucket()).prefix(folder)
                .overrideConfiguration(o -> o.apiCallTimeout(lookupLimit)))) {
            List<ObjectIdentifier> keys = page.contents().stream().map(S3Object::key).filter(doomed)
                    .map(key -> ObjectIdentifier.builder().key(key).build()).toList();
            if (!keys.isEmpty()) {
                // Quiet: the answer lists only the objects that were not removed (a key's own denial, a lock).
                List<S3Error> kept = s3.deleteObjects(b -> b.bucket(where.bucket())
                        .delete(Delete.builder().objects(keys).quiet(true).build())
                        .overrideConfiguration(o -> o.apiCallTimeout(lookupLimit.multipliedBy(3)))).errors();
                if (!kept.isEmpty()) {
                    String why = "The store kept " + kept.size() + " of the " + keys.size() + " objects of job " + jobId
                                 + " it was asked to remove: " + kept.get(0).key() + " (" + kept.get(0).code() + ": "
                                 + kept.get(0).message() + ")";
                    if (strict) {
                        throw new UncheckedIOException(new IOException(why));
                    }
                    LOG.warn("{}; they go with the job", why);
                }
                LOG.debug("Job {}: removed {} objects", jobId, keys.size());
            }
        }
    }
}
