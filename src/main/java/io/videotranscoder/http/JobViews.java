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
import io.videotranscoder.job.JobIds;
import io.videotranscoder.job.JobStatus;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.job.JobSubmitter;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** The job JSON of the public API, and the original API's shape for its two calls. */
public class JobViews {

    private static final String JSON = "application/json";
    private static final int MAX_LIMIT = 500;

    private final JobStore store;
    private final ObjectMapper json;

    public JobViews(JobStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    /** What a client sees of a job. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobView(String id, String status, int progress, String preset, String codec, String bitrate,
            String resolution, String source, String filename, Instant createdAt, Instant startedAt,
            Instant finishedAt, int attempts, String worker, String error, InputView input, List<OutputView> outputs) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InputView(long size, String format, Double duration, String videoCodec, Integer width,
            Integer height, String audioCodec) {
    }

    public record OutputView(String name, long size, String url) {
    }

    public static JobView view(Job job) {
        MediaInfo media = job.input();
        InputView input = new InputView(job.inputSize(), media == null ? null : media.format(),
                media == null ? null : media.durationSeconds(), media == null ? null : media.videoCodec(),
                media == null ? null : media.width(), media == null ? null : media.height(),
                media == null ? null : media.audioCodec());
        List<OutputView> outputs = new ArrayList<>();
        if (job.output() != null && job.status() == JobStatus.SUCCEEDED) {
            outputs.add(new OutputView(job.output(), job.outputSize() == null ? 0 : job.outputSize(),
                    "/jobs/" + job.id() + "/output"));
        }
        return new JobView(job.id(), job.status().value(), job.progress(), job.preset(), job.options().codec(),
                job.options().bitrate(), job.options().resolution(), job.source(), job.originalName(), job.createdAt(),
                job.startedAt(), job.finishedAt(), job.attempts(), job.worker(), job.error(), input, outputs);
    }

    /** 202 for a job just queued, with its Location. */
    public void accepted(Exchange exchange) throws JsonProcessingException {
        Job job = exchange.getProperty(JobSubmitter.JOB, Job.class);
        Replies.reply(exchange.getMessage(), 202, JSON, json.writeValueAsString(view(job)));
        exchange.getMessage().setHeader("Location", "/jobs/" + job.id());
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
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("job_id", job.id());
        body.put("status", job.status().value());
        body.put("progress", job.progress());
        if (job.error() != null) {
            body.put("error", job.error());
        }
        if (job.status() == JobStatus.SUCCEEDED) {
            body.put("output_url", "/jobs/" + job.id() + "/output");
        }
        Replies.reply(exchange.getMessage(), 200, JSON, json.writeValueAsString(body));
    }

    /** GET /jobs?status=&limit=: newest first. */
    public void list(Exchange exchange) throws JsonProcessingException {
        Message in = exchange.getIn();
        JobStatus status = null;
        String statusText = in.getHeader("status", String.class);
        if (statusText != null && !statusText.isBlank()) {
            try {
                status = JobStatus.of(statusText.trim());
            } catch (IllegalArgumentException e) {
                throw ProblemException.badField("status",
                        "status must be one of queued, running, succeeded, failed, cancelled");
            }
        }
        int limit = 50;
        String limitText = in.getHeader("limit", String.class);
        if (limitText != null && !limitText.isBlank()) {
            try {
                limit = Integer.parseInt(limitText.trim());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw ProblemException.badField("limit", "limit must be a whole number within 1.." + MAX_LIMIT);
            }
        }
        List<JobView> jobs = store.list(status, limit).stream().map(JobViews::view).toList();
        Replies.reply(exchange.getMessage(), 200, JSON, json.writeValueAsString(Map.of("jobs", jobs)));
    }

    Job find(Message in) {
        String id = in.getHeader("id", String.class);
        if (!JobIds.valid(id)) {
            throw ProblemException.notFound("There is no job with id '" + abbreviate(id) + "'.");
        }
        return store.find(id).orElseThrow(() -> ProblemException.notFound("There is no job with id '" + id + "'."));
    }

    private static String abbreviate(String id) {
        return id == null ? "" : id.length() > 64 ? id.substring(0, 64) + "…" : id;
    }
}
