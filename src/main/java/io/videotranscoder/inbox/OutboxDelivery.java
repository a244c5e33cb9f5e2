package io.videotranscoder.inbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.storage.Storage;
import io.videotranscoder.storage.UniqueNames;
import org.apache.commons.io.file.PathUtils;

/**
 * A succeeded inbox job's result in the outbox: one file, or a folder of them (an HLS ladder), named after the
 * original and the preset. It is copied under a hidden name ({@code .delivering-<job id>}) first, then given the first
 * free name of its own, which the job records just before the move ({@value #DELIVERED}). So a delivery cut short
 * (a process killed) never leaves part of a file under a name the user reads as a result, and the next delivery
 * finishes it or makes it again, never a second copy: a copy left without a recorded name is a copy cut short, made
 * again; a recorded name without the copy is a delivery done.
 */
final class OutboxDelivery {

    /** The job's field that names where its result went. */
    static final String DELIVERED = "deliveredTo";

    private final JobStore store;
    private final Storage storage;
    private final Path outbox;

    OutboxDelivery(JobStore store, Storage storage, Path outbox) {
        this.store = store;
        this.storage = storage;
        this.outbox = outbox;
    }

    /** @return where the result is, delivered now or before */
    Path deliver(Job job, String displayName) throws IOException {
        Path copy = outbox.resolve(".delivering-" + job.id());
        boolean copied = Files.exists(copy, LinkOption.NOFOLLOW_LINKS);
        Optional<String> named = store.field(job.id(), DELIVERED);
        if (named.isPresent() && !copied) {
            return Path.of(named.get());
        }
        if (named.isEmpty() && copied) {
            PathUtils.delete(copy);
            copied = false;
        }
        Files.createDirectories(outbox);
        if (!copied) {
            copyOutputs(job, copy);
        }
        UniqueNames.Name stem = UniqueNames.Name.of(displayName);
        String kept = "-" + job.preset().name();
        String ext = job.outputs().size() == 1 ? extension(job.outputs().get(0).name()) : "";
        return UniqueNames.place(outbox, new UniqueNames.Name(stem.stem(), kept, ext), UniqueNames.MAX_NAME_BYTES,
                target -> {
                    store.recordEnded(job.id(), DELIVERED, target.toString());
                    UniqueNames.moveNew(copy, target);
                });
    }

    /** One output as the file itself; several keep their names, in a folder. */
    private void copyOutputs(Job job, Path copy) throws IOException {
        if (job.outputs().size() == 1) {
            storage.copy(job.outputs().get(0).key(job.id()), copy);
            return;
        }
        Files.createDirectory(copy);
        for (Job.Output output : job.outputs()) {
            storage.copy(output.key(job.id()), copy.resolve(output.name()));
        }
    }

    private static String extension(String name) {
        return name.substring(name.lastIndexOf('.'));
    }
}
