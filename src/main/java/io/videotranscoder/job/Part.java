package io.videotranscoder.job;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.videotranscoder.ffmpeg.SegmentSpan;

/**
 * One queue entry of a split job (see {@link SplitPlan}): a video segment, the audio, or the join.
 *
 * @param from    a segment's first timestamp (inclusive), half a frame before its first frame
 * @param to      where a segment ends (exclusive), half a frame before the next one's first frame; null for the last
 * @param seconds how much of the input the part covers: its weight in the job's progress
 * @param at      where a segment begins on the output's timeline (see {@link SegmentSpan#at})
 */
public record Part(String job, Kind kind, int index, double from, Double to, double seconds, double at) {

    /** A part that is not a segment, or one whose place on the timeline nothing needs. */
    public Part(String job, Kind kind, int index, double from, Double to, double seconds) {
        this(job, kind, index, from, to, seconds, 0);
    }

    /** What a part's worker does. */
    public enum Kind { SEGMENT, AUDIO, JOIN }

    /** The file a segment or the audio is stored as, under the job's {@code parts/}. */
    public String fileName() {
        return switch (kind) {
            case SEGMENT -> String.format(Locale.ROOT, "segment-%05d.mp4", index);
            case AUDIO -> "audio.m4a";
            case JOIN -> "join";
        };
    }

    /** The queue entry's fields. */
    public Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("job", job);
        fields.put("part", kind.name().toLowerCase(Locale.ROOT));
        fields.put("index", Integer.toString(index));
        fields.put("from", Double.toString(from));
        fields.put("to", to == null ? "" : Double.toString(to));
        fields.put("seconds", Double.toString(seconds));
        fields.put("at", Double.toString(at));
        return fields;
    }

    /** Reads a queue entry's fields. */
    public static Part of(Map<?, ?> fields) {
        String to = String.valueOf(fields.get("to"));
        return new Part(String.valueOf(fields.get("job")),
                Kind.valueOf(String.valueOf(fields.get("part")).toUpperCase(Locale.ROOT)),
                Integer.parseInt(String.valueOf(fields.get("index"))),
                Double.parseDouble(String.valueOf(fields.get("from"))),
                to.isEmpty() || "null".equals(to) ? null : Double.valueOf(to),
                Double.parseDouble(String.valueOf(fields.get("seconds"))),
                fields.get("at") == null ? 0 : Double.parseDouble(String.valueOf(fields.get("at"))));
    }

    /** Which part of the input a segment encodes. */
    public SegmentSpan span() {
        return new SegmentSpan(from, to, at, seconds);
    }

    public static Part join(String job) {
        return new Part(job, Kind.JOIN, 0, 0, null, 0);
    }
}
