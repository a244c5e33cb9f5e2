package io.videotranscoder.storage;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Where jobs' inputs and outputs are kept: the local data root (the default, shared by every role) or an
 * S3-compatible object store ({@code TRANSCODER_STORAGE=s3://bucket/prefix}, no shared disk). An object is named by
 * its key inside the store, {@code <job id>/<name>}; only a job id, an attempt token and names chosen by the server
 * make a key. Moving files in and out is the work of routes (routes/storage/), one step each; this is what else the
 * service asks of what is stored.
 */
public interface Storage {

    /** A stored object as downloads describe it. */
    record StoredObject(long size, Instant lastModified) {
    }

    /** Whether objects are files under the local data root: a worker then works beside them, and nothing is copied. */
    boolean local();

    /**
     * The key under which an attempt's output is stored; null where it is {@code <job id>/<name>} (the local data
     * root, where the attempt's outputs are moved into place only once it holds the job).
     */
    String outputKey(String jobId, String attempt, String name);

    /** The object's size and last change; empty when nothing is stored under the key. */
    Optional<StoredObject> stat(String key);

    /** The file that holds the object, for local storage; empty for an object store. */
    Optional<Path> file(String key);

    /**
     * A URL that reads the object without credentials until it expires, answered with the given type and disposition;
     * only for an object store.
     */
    URI presign(String key, String contentType, String disposition);

    /**
     * Writes the object to {@code target}, a new file: a hard link where both are on the local data root's file
     * system, else a copy.
     *
     * @throws java.nio.file.FileAlreadyExistsException when {@code target} exists
     */
    void copy(String key, Path target) throws IOException;

    /**
     * Removes every object of the job, whatever attempt stored it. The local data root's are the job's folder.
     *
     * @throws RuntimeException when some could not be removed (the store kept them, or could not be reached)
     */
    void deleteJob(String jobId);

    /**
     * Removes the outputs one attempt stored: its job was removed while they were stored (a worker paused past its
     * lease), and nothing else would (a removed job's objects are not looked for).
     */
    void deleteAttempt(String jobId, String attempt);

    /** Removes the outputs stored by attempts other than {@code kept}: a worker that lost the job left them. */
    void deleteOtherAttempts(String jobId, String kept);

    /** Removes the stored parts of a split job ({@code <job id>/parts/}): the join has used them, or the job ended. */
    void deleteParts(String jobId);

    /**
     * An object to be stored part by part as its bytes arrive (an upload streamed into the store); only for an
     * object store: the local data root takes an upload as a file.
     */
    PartedUpload partedUpload(String key);

    /**
     * Gives up the part-by-part uploads begun before {@code before} and never completed or aborted (a process killed
     * while it took an upload): the store keeps their parts, and bills them, until then.
     *
     * @return how many were given up
     */
    int abortUploadsBegunBefore(Instant before);
}
