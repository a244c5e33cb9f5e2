package io.videotranscoder.inbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobStatus;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.job.JobWorker;
import io.videotranscoder.storage.JobFiles;
import io.videotranscoder.storage.UniqueNames;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an inbox user looks for results: a succeeded job's output appears in the outbox as
 * {@code <original base name>-<preset>.<ext>}; a failed job's input goes back to {@code inbox/.failed/} with its reason.
 */
public class InboxResults {

    private static final Logger LOG = LoggerFactory.getLogger(InboxResults.class);

    private final JobStore store;
    private final JobFiles files;
    private final InboxClaims inbox;
    private final Path outbox;

    public InboxResults(JobStore store, JobFiles files, InboxClaims inbox, Path outbox) {
        this.store = store;
        this.files = files;
        this.inbox = inbox;
        this.outbox = outbox;
    }

    /** Acts on jobs from the inbox that reached their outcome in this exchange; others are left alone. */
    public void deliver(Exchange exchange) throws IOException {
        String id = exchange.getProperty(JobWorker.OUTCOME, String.class);
        Job job = id == null ? null : store.find(id).orElse(null);
        if (job == null || !"inbox".equals(job.source())) {
            return;
        }
        String name = job.originalName() == null ? job.inputFile() : job.originalName();
        if (job.status() == JobStatus.SUCCEEDED) {
            String base = baseName(name) + "-" + job.preset().name();
            Path published;
            if (job.outputs().size() == 1) {
                String main = job.mainOutput();
                published = UniqueNames.linkOrCopy(files.output(job.id(), main), outbox,
                        base + main.substring(main.lastIndexOf('.')));
            } else {
                // Several files (an HLS ladder) keep their names, in a folder named like a single output would be.
                published = UniqueNames.place(outbox, base, folder -> {
                    Files.createDirectory(folder);
                    for (Job.Output output : job.outputs()) {
                        UniqueNames.linkOrCopy(files.output(job.id(), output.name()), folder, output.name());
                    }
                });
            }
            LOG.info("Inbox file {} transcoded to {}", name, published);
        } else if (job.status() == JobStatus.FAILED) {
            Path input = files.jobDir(job.id()).resolve(job.inputFile());
            if (Files.exists(input)) {
                inbox.fail(input, name, job.error());
            }
        }
    }

    private static String baseName(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
