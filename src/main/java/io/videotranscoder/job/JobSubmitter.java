package io.videotranscoder.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import io.videotranscoder.refusal.Refusal;
import org.apache.camel.Exchange;

/** Turns a received file into a queued job: its folder, its input under the server's name, its hash. */
public class JobSubmitter {

    public static final String JOB = "transcoderJob";
    private static final int MAX_NAME_LENGTH = 255;

    private final JobStore store;
    private final JobFiles files;
    private final Clock clock;

    public JobSubmitter(JobStore store, JobFiles files, Clock clock) {
        this.store = store;
        this.files = files;
        this.clock = clock;
    }

    /**
     * Stores the job (exchange property {@value #JOB}) for its owner (property {@value JobOwner#PROPERTY}, set by the
     * route: the caller's key, or the inbox) and answers the queue entry's fields.
     *
     * @throws Refusal (quota exceeded) when the owner's key has as many active jobs as it may
     */
    public Map<String, String> create(JobRequest request, Exchange exchange) throws IOException {
        JobOwner owner = exchange.getProperty(JobOwner.PROPERTY, JobOwner.class);
        if (owner == null) {
            throw new IllegalStateException("A job to submit has no owner: the route sets " + JobOwner.PROPERTY);
        }
        String id = JobIds.next();
        String originalName = displayName(request.originalName());
        String inputName = JobFiles.inputName(originalName);
        long size = Files.size(request.file());
        Path input = files.adopt(request.file(), id, inputName);
        Job job = Job.queued(id, request.source(), owner.tenant(), originalName, request.preset(),
                input.getFileName().toString(), size, clock.instant()).withCallbackUrl(request.callbackUrl());
        try {
            store.create(job, owner);
        } catch (RuntimeException e) {
            files.deleteJob(id); // no record, no files: the client is told and may send it again
            throw e;
        }
        exchange.setProperty(JOB, job);
        return Map.of("job", id);
    }

    /** The client's name as metadata: its last path segment, without control characters, of bounded length. */
    static String displayName(String name) {
        if (name == null) {
            return null;
        }
        String last = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        String clean = last.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        if (clean.isEmpty()) {
            return null;
        }
        if (clean.codePointCount(0, clean.length()) <= MAX_NAME_LENGTH) {
            return clean;
        }
        // Cut the base name, keep a short extension: it tells what the file was.
        int dot = clean.lastIndexOf('.');
        String ext = dot > 0 && clean.length() - dot <= 16 ? clean.substring(dot) : "";
        String base = clean.substring(0, clean.length() - ext.length());
        return base.substring(0, base.offsetByCodePoints(0, MAX_NAME_LENGTH - ext.length())) + ext;
    }
}
