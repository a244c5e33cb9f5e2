package io.videotranscoder.http.tus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import io.videotranscoder.queue.GroupMembers;

/**
 * Whether an unfinished upload's bytes are gone for good, where no disk is shared (each API pod's own data root): the
 * upload records the instance that keeps them ({@code holder}), and every API instance says it is alive every few
 * seconds (its consumer of the job events for webhooks, {@code instances}, under its worker name). Bytes this instance
 * lacks are gone when their instance has not been heard of for {@code goneMillis}: a pod a rollout or a node's failure
 * ended is never heard of again. A tus client told 404 or 410 starts the upload over, where a 409 had it ask again, and
 * fail again, until the upload expired. An upload this instance's name holds is never judged gone here: two processes
 * may share a name (and one of them has the bytes).
 */
public final class TusHolders {

    private final TusStore store;
    private final TusFiles files;
    private final String self;
    private final GroupMembers instances;
    private final long goneMillis;

    /** @param self this instance's name, which its uploads record and its consumers say they are alive under */
    public TusHolders(TusStore store, TusFiles files, String self, GroupMembers instances, long goneMillis) {
        this.store = store;
        this.files = files;
        this.self = self;
        this.instances = instances;
        this.goneMillis = goneMillis;
    }

    /**
     * For an upload whose bytes are gone for good (as above; never one made before holders were recorded), its
     * refusal: the upload is removed, so that the client starts over. Empty for any other.
     */
    Optional<TusError> gone(TusUpload upload) {
        if (upload.complete() || upload.offset() == 0 || size(upload.id()) >= upload.offset()) {
            return Optional.empty();
        }
        return goneHolder(upload.id()).map(holder -> removed(upload, holder));
    }

    /**
     * Checks that a complete upload that is no job yet has all its bytes in its file here, before they become one.
     *
     * @param token     the upload's write lock, which the caller holds
     * @param beingMade whether a submission holds the upload's file in its job's folder (making the job now, or cut
     *                  short: housekeeping then gives the file back)
     * @return the upload moved back to the bytes its file holds, where it holds fewer than were counted (lost with
     *         the machine before they reached the disk), so that the client resumes from there; empty when all are
     * @throws TusError 423 while a submission holds the file; 410 (the upload removed) when the bytes are gone with
     *                  the instance that kept them; 409 while another instance keeps them
     */
    Optional<TusUpload> lacking(TusUpload upload, String token, BooleanSupplier beingMade) {
        long size = size(upload.id());
        if (size >= upload.length()) {
            return Optional.empty();
        }
        if (size < 0) {
            if (beingMade.getAsBoolean()) {
                throw new TusError(423, "Upload " + upload.id() + " is being made a job: ask again shortly.");
            }
            throw goneHolder(upload.id()).map(holder -> removed(upload, holder)).orElseGet(() -> elsewhere(upload));
        }
        if (!store.advance(upload.id(), token, upload.offset(), size, upload.expiresAt())) {
            throw TusLocks.held(upload.id()); // the lock lapsed meanwhile: another request has the upload
        }
        return Optional.of(upload.at(size, upload.expiresAt()));
    }

    /** The refusal of a request for bytes this instance does not keep, while the instance that does is alive. */
    static TusError elsewhere(TusUpload upload) {
        return new TusError(409, "This upload's first " + upload.offset() + " bytes are kept by another instance of"
                + " the API, not this one: its requests must reach the instance its first bytes reached (sticky"
                + " sessions), or every instance must share the data root's .tus folder.");
    }

    /** The instance that kept the upload's bytes, where it is gone: never this one, nor one heard of lately. */
    private Optional<String> goneHolder(String id) {
        return store.holder(id).filter(holder -> !holder.equals(self) && !instances.seenWithin(holder, goneMillis));
    }

    private TusError removed(TusUpload upload, String holder) {
        store.delete(upload.id());
        try {
            files.delete(upload.id());
        } catch (IOException e) { // what is left of them, housekeeping's sweep removes
            throw new UncheckedIOException(e);
        }
        return new TusError(410, "Upload " + upload.id() + "'s first " + upload.offset() + " bytes were kept by the"
                + " API instance " + holder + ", which is gone with them: upload the file again.");
    }

    private long size(String id) {
        try {
            return Files.size(files.file(id));
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
