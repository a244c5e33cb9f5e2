package io.videotranscoder.http.tus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Optional;

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
        String holder = store.holder(upload.id()).orElse(null);
        if (holder == null || holder.equals(self) || instances.seenWithin(holder, goneMillis)) {
            return Optional.empty();
        }
        store.delete(upload.id());
        try {
            files.delete(upload.id());
        } catch (IOException e) { // what is left of them, housekeeping's sweep removes
            throw new UncheckedIOException(e);
        }
        return Optional.of(new TusError(410, "Upload " + upload.id() + "'s first " + upload.offset() + " bytes were"
                + " kept by the API instance " + holder + ", which is gone with them: upload the file again."));
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
