package io.videotranscoder.inbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobFiles;
import io.videotranscoder.job.JobIds;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.storage.Storage;

/**
 * With an object store, the API that took an inbox file keeps its original in the job's folder under its own data
 * root (only a copy is uploaded), and no worker reaches that folder or the outbox: this finds the held originals of
 * jobs that have ended and delivers them ({@link InboxResults#deliverEnded}: the outputs copied from the store into
 * the outbox, the original to {@code .done/} or {@code .failed/}), then removes the folder. With the local data root
 * the inbox delivers each job's result from its event log ({@link InboxResults#ended}) and this does nothing.
 */
public class HeldOriginals {

    private final JobStore store;
    private final JobFiles files;
    private final Storage storage;
    private final InboxResults results;
    /**
     * Ended jobs whose original could not be handed back, with when they ended: their folders stay as they are until
     * the job ends again (a retry: delivered then) or its folder is gone.
     */
    private final Map<String, String> kept = new ConcurrentHashMap<>();

    public HeldOriginals(JobStore store, JobFiles files, Storage storage, InboxResults results) {
        this.store = store;
        this.files = files;
        this.storage = storage;
        this.results = results;
    }

    public void collect() throws IOException {
        if (storage.local() || !Files.isDirectory(files.root())) {
            return;
        }
        Set<String> listed = new HashSet<>();
        try (var folders = Files.list(files.root())) {
            for (Path folder : folders.filter(f -> JobIds.valid(f.getFileName().toString())).toList()) {
                String id = folder.getFileName().toString();
                listed.add(id);
                Optional<Job> job = store.find(id); // none: UnrecordedFolders hands its original to the user
                if (job.isEmpty() || !job.get().status().terminal() || end(job.get()).equals(kept.get(id))) {
                    continue;
                }
                if (!results.deliverEnded(job.get())) {
                    // The original is still in the folder (the failure is logged and on the job): kept, for the
                    // housekeeping's hand-back at the job's expiry, not delivered again at every look of this end.
                    kept.put(id, end(job.get()));
                } else if (!results.holdsOriginal(job.get())) {
                    files.deleteJob(id);
                } // else the job was retried meanwhile: its original waits here for the job's next end
            }
        }
        kept.keySet().retainAll(listed);
    }

    /** Which end of the job this is: a retry's ends later, after another attempt. */
    private static String end(Job job) {
        return job.finishedAt() + "/" + job.attempts();
    }
}
