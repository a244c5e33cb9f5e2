package io.videotranscoder.http;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videotranscoder.ffmpeg.MediaInfo;
import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobControl;
import io.videotranscoder.job.JobLists;
import io.videotranscoder.job.JobStatus;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.job.JobSubmitter;
import io.videotranscoder.preset.Preset;
import io.videotranscoder.refusal.Refusal;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** The job JSON of the public API, and the original API's shape for its two calls. */
public class JobViews {

    private static final String JSON = "application/json";
    private static final int MAX_LIMIT = 500;

    private final JobStore store;
    private final JobLists lists;
    private final ObjectMapper json;

    public JobViews(JobStore store, ObjectMapper json) {
        this.store = store;
        this.lists = new JobLists(store);
        this.json = json;
    }

    /** What a client sees of a job. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobView(String id, String status, int progress, Double speed, Double fps, Long eta, String preset,
            String codec, String bitrate, String resolution, String source, String filename, Instant createdAt,
            Instant startedAt, Instant finishedAt, int attempts, String worker, String error, InputView input,
            List<OutputView> outputs, SegmentsView segments) {
    }

    /** A split job's video segments: stored, of all. */
    public record SegmentsView(int done, int total) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InputView(long size, String format, Double duration, String videoCodec, Integer width,
            Integer height, Double frameRate, String audioCodec, Integer audioChannels) {
    }

    public record OutputView(String name, long size, String contentType, String url) {
    }

    public static JobView view(Job job) {
        MediaInfo m = job.input();
        InputView input = m == null ? new InputView(job.inputSize(), null, null, null, null, null, null, null, null)
                : new InputView(job.inputSize(), m.format(), m.durationSeconds(), m.videoCodec(), m.width(),
                        m.height(), m.frameRate(), m.audioCodec(), m.audioChannels());
        List<OutputView> outputs = job.status() != JobStatus.SUCCEEDED ? List.of() : job.outputs().stream()
                .map(o -> new OutputView(o.name(), o.size(), ContentTypes.of(o.name()),
                        "/jobs/" + job.id() + "/outputs/" + o.name()))
                .toList();
        Preset preset = job.preset();
        boolean custom = "custom".equals(preset.name());
        Job.Progress p = job.status() == JobStatus.RUNNING ? job.progress()
                : new Job.Progress(job.progress().percent(), null, null, null);
        return new JobView(job.id(), job.status().value(), p.percent(), p.speed(), p.fps(), p.etaSeconds(),
                preset.name(), custom ? preset.video().codec() : null, custom ? preset.video().bitrate() : null,
                custom ? preset.video().width() + "x" + preset.video().height() : null, job.source(),
                job.originalName(), job.createdAt(), job.startedAt(), job.finishedAt(), job.attempts(), job.worker(),
                job.error(), input, outputs,
                job.segments() == null ? null : new SegmentsView(job.segments().done(), job.segments().total()));
    }

    /** 202 for a job just queued, with its Location. */
    public void accepted(Exchange exchange) throws JsonProcessingException {
        Job job = exchange.getProperty(JobSubmitter.JOB, Job.class);
        Replies.reply(exchange.getMessage(), 202, JSON, json.writeValueAsString(view(job)));
        exchange.getMessage().setHeader("Location", "/jobs/" + job.id());
    }

    /**
     * The answer to DELETE: 200 with a job cancelled before it started, 202 with a running job whose worker is
     * stopping it (a {@code ?wait=} read tells when it is {@code cancelled}), 204 once a finished job is removed.
     */
    public void deleted(Exchange exchange) throws JsonProcessingException {
        JobControl.Deletion deletion = exchange.getProperty(JobControl.DELETED, JobControl.Deletion.class);
        if (deletion == JobControl.Deletion.REMOVED) {
            Replies.reply(exchange.getMessage(), 204, null, null);
            return;
        }
        Job job = exchange.getProperty(JobSubmitter.JOB, Job.class);
        int status = deletion == JobControl.Deletion.CANCEL_REQUESTED ? 202 : 200;
        Replies.reply(exchange.getMessage(), status, JSON, json.writeValueAsString(view(job)));
    }

    /** The original API's answer to POST /transcode. */
    public void legacyAccepted(Exchange exchange) throws JsonProcessingException {
        Job job = exchange.getProperty(JobSubmitter.JOB, Job.class);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("job_id", job.id());
        body.put("status", job.status().value());
        Replies.reply(exchange.getMessage(), 202, JSON, json.writeValueAsString(body));
        exchange.getMessage().setHeader("Location", "/jobs/" + job.id());
    }

    public void one(Exchange exchange) throws JsonProcessingException {
        Job job = find(exchange.getIn());
        Replies.reply(exchange.getMessage(), 200, JSON, json.writeValueAsString(view(job)));
    }

    /** The original API's GET /status/{id}. */
    public void legacyStatus(Exchange exchange) throws JsonProcessingException {
        Job job = find(exchange.getIn());
        Replies.reply(exchange.getMessage(), 200, JSON, json.writeValueAsString(legacyStatus(job)));
    }

    /**
     * The original service's status shape: {@code progress} is a number (0-100), {@code output_url} only once the
     * job succeeded, {@code error} only once it failed; its clients read nothing else.
     */
    static Map<String, Object> legacyStatus(Job job) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("job_id", job.id());
        body.put("status", job.status().value());
        body.put("progress", job.progress().percent());
        if (job.error() != null && job.status() == JobStatus.FAILED) {
            body.put("error", job.error());
        }
        if (job.status() == JobStatus.SUCCEEDED) {
            body.put("output_url", "/jobs/" + job.id() + "/output");
        }
        return body;
    }

    /** GET /jobs?status=&limit=: newest first. */
    public void list(Exchange exchange) throws JsonProcessingException {
        Message in = exchange.getIn();
        JobStatus status = null;
        String statusText = Parameters.single(in, "status");
        if (statusText != null) {
            try {
                status = JobStatus.of(statusText.trim());
            } catch (IllegalArgumentException e) {
                throw Refusal.invalidField("status",
                        "status must be one of queued, running, succeeded, failed, cancelled");
            }
        }
        int limit = 50;
        String limitText = Parameters.single(in, "limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText.trim());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw Refusal.invalidField("limit", "limit must be a whole number within 1.." + MAX_LIMIT);
            }
        }
        List<JobView> jobs = lists.list(Callers.tenancy(in), status, limit).stream().map(JobViews::view).toList();
        Replies.reply(exchange.getMessage(), 200, JSON, json.writeValueAsString(Map.of("jobs", jobs)));
    }

    /** The job a request's {@code id} names; a refusal (404) when there is none, or none its caller may see. */
    Job find(Message in) {
        return store.existing(in.getHeader("id", String.class), Callers.tenancy(in));
    }
}
