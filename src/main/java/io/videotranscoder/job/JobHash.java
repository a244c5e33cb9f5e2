package io.videotranscoder.job;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videotranscoder.ffmpeg.MediaInfo;
import io.videotranscoder.preset.Preset;

/**
 * A job as the fields of its Redis hash, and back: every value a string, absent ones left out, the preset and the
 * outputs as JSON.
 */
public final class JobHash {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private static final TypeReference<Preset> PRESET = new TypeReference<>() { };
    private static final TypeReference<List<Job.Output>> OUTPUTS = new TypeReference<>() { };

    private JobHash() {
    }

    static Map<String, String> toHash(Job job) {
        Map<String, String> hash = new LinkedHashMap<>();
        hash.put("id", job.id());
        hash.put("status", job.status().value());
        put(hash, "source", job.source());
        put(hash, "tenant", job.tenant());
        put(hash, "originalName", job.originalName());
        put(hash, "preset", job.preset().name());
        put(hash, "spec", json(job.preset()));
        put(hash, "inputFile", job.inputFile());
        put(hash, "inputSize", job.inputSize());
        put(hash, "createdAt", job.createdAt());
        put(hash, "startedAt", job.startedAt());
        put(hash, "finishedAt", job.finishedAt());
        put(hash, "attempts", job.attempts());
        put(hash, "error", job.error());
        put(hash, "worker", job.worker());
        if (!job.outputs().isEmpty()) {
            put(hash, "outputs", json(job.outputs()));
        }
        put(hash, "progress", job.progress().percent());
        put(hash, "callbackUrl", job.callbackUrl());
        return hash;
    }

    /** The produced files, stored once the job succeeded. */
    public static Map<String, String> outputFields(List<Job.Output> outputs) {
        return Map.of("outputs", json(outputs));
    }

    /** Progress while running; speed, fps and ETA are left out until FFmpeg reports them. */
    public static Map<String, String> progressFields(Job.Progress progress) {
        Map<String, String> hash = new LinkedHashMap<>();
        put(hash, "progress", progress.percent());
        put(hash, "speed", progress.speed());
        put(hash, "fps", progress.fps());
        put(hash, "eta", progress.etaSeconds());
        return hash;
    }

    /**
     * The probe's facts, stored beside the job's other fields: a split job's join verifies its output against them
     * (each stream's length too).
     */
    public static Map<String, String> mediaFields(MediaInfo info) {
        Map<String, String> hash = new LinkedHashMap<>();
        put(hash, "inputFormat", info.format());
        put(hash, "inputDuration", info.durationSeconds());
        put(hash, "inputVideoCodec", info.videoCodec());
        put(hash, "inputWidth", info.width());
        put(hash, "inputHeight", info.height());
        put(hash, "inputFrameRate", info.frameRate());
        put(hash, "inputAudioCodec", info.audioCodec());
        put(hash, "inputAudioChannels", info.audioChannels());
        put(hash, "inputVideoStart", info.videoStart());
        put(hash, "inputStart", info.start());
        put(hash, "inputVideoSeconds", info.videoSeconds());
        put(hash, "inputSoundSeconds", info.soundSeconds());
        put(hash, "inputBaseFrameRate", info.baseFrameRate());
        return hash;
    }

    /** Appends the fields to a script's arguments as HSET takes them: field, value, field, value... */
    static void addFields(List<String> args, Map<String, String> fields) {
        fields.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
    }

    private static void put(Map<String, String> hash, String field, Object value) {
        if (value != null) {
            hash.put(field, value.toString());
        }
    }

    static Job fromHash(Map<String, String> h) {
        MediaInfo input = h.containsKey("inputFormat")
                ? new MediaInfo(h.get("inputFormat"), number(h.get("inputDuration")), h.get("inputVideoCodec"),
                        integer(h.get("inputWidth")), integer(h.get("inputHeight")), number(h.get("inputFrameRate")),
                        h.get("inputAudioCodec"), integer(h.get("inputAudioChannels")),
                        number(h.get("inputVideoStart")), number(h.get("inputStart")),
                        number(h.get("inputVideoSeconds")), number(h.get("inputSoundSeconds")),
                        number(h.get("inputBaseFrameRate")))
                : null;
        List<Job.Output> outputs = h.containsKey("outputs") ? read(h.get("outputs"), OUTPUTS) : List.of();
        Job.Progress progress = new Job.Progress(Integer.parseInt(h.getOrDefault("progress", "0")),
                number(h.get("speed")), number(h.get("fps")), h.containsKey("eta") ? Long.valueOf(h.get("eta")) : null);
        // A job stored before jobs had tenants belongs to the default one.
        return new Job(h.get("id"), JobStatus.of(h.get("status")), h.get("source"),
                h.getOrDefault("tenant", JobOwner.DEFAULT_TENANT), h.get("originalName"),
                read(h.get("spec"), PRESET), h.get("inputFile"), Long.parseLong(h.getOrDefault("inputSize", "0")),
                instant(h.get("createdAt")), instant(h.get("startedAt")), instant(h.get("finishedAt")),
                Integer.parseInt(h.getOrDefault("attempts", "0")), text(h.get("error")), h.get("worker"), outputs, progress,
                input, text(h.get("callbackUrl")), segments(h));
    }

    /** A job's segments while its split run stands (a retry clears it: the counts are then of the run before). */
    private static Job.Segments segments(Map<String, String> h) {
        return text(h.get("splitRun")) == null || !h.containsKey("segmentsTotal") ? null
                : new Job.Segments(Integer.parseInt(h.getOrDefault("segmentsDone", "0")),
                        Integer.parseInt(h.get("segmentsTotal")));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(String text, TypeReference<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable job field: " + text, e);
        }
    }

    private static Instant instant(String value) {
        return value == null || value.isEmpty() ? null : Instant.parse(value);
    }

    /** Fields are cleared by writing them empty (HSET cannot remove): empty reads as absent. */
    private static String text(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static Double number(String value) {
        return value == null ? null : Double.valueOf(value);
    }

    private static Integer integer(String value) {
        return value == null ? null : Integer.valueOf(value);
    }
}
