package io.videotranscoder.job;

import io.videotranscoder.storage.PartedUpload;
import io.videotranscoder.storage.Storage;

/**
 * An upload streamed into the object store as its bytes arrive, instead of a received file: its job's id and input
 * name are chosen when its first bytes come, since they name the object.
 *
 * @param size   the bytes received, once the upload's body has ended; -1 before
 * @param upload the object being stored, complete only once the job is submitted
 */
public record StreamedInput(String jobId, String inputName, long size, PartedUpload upload) {

    /** Names the job the upload of the client's file {@code clientName} will become, and opens its object. */
    public static StreamedInput begin(Storage storage, String clientName) {
        String id = JobIds.next();
        String inputName = JobFiles.inputName(ClientNames.displayName(clientName));
        return new StreamedInput(id, inputName, -1, storage.partedUpload(id + "/" + inputName));
    }

    public StreamedInput withSize(long received) {
        return new StreamedInput(jobId, inputName, received, upload);
    }
}
