package io.videotranscoder.ffmpeg;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** How long an input plays, from ffprobe's JSON ({@link MediaInfo#parse}). */
final class ProbeLengths {

    private ProbeLengths() {
    }

    /**
     * How long the input plays: the file's stated length, or the kept streams' span (the first video and the first
     * audio) where that is shorter by more than half a second.
     *
     * @param fromZero whether the file states the times of ends rather than lengths ({@link #endsFromZero})
     */
    static Double played(JsonNode format, JsonNode video, JsonNode audio, boolean fromZero) {
        return shorter(stated(format, fromZero), keptSpan(fromZero, video, audio));
    }

    /**
     * Whether FFmpeg's Matroska (or WebM) muxer wrote the file: it states the time of the file's end, and of each
     * stream's ({@code DURATION} tags), counted from 0 whatever the first timestamp: a cut of a recording whose
     * timestamps begin at 10 s plays for its stated length less 10 s. mkvmerge states lengths (its last timestamp less
     * its first), as other formats do; a file it remuxed may keep FFmpeg's {@code ENCODER} tag, but its streams' tags
     * are its own statistics, which name it ({@code _STATISTICS_WRITING_APP}).
     */
    static boolean endsFromZero(JsonNode format, JsonNode streams) {
        String name = format.hasNonNull("format_name") ? format.path("format_name").asText() : null;
        String writer = format.path("tags").path("ENCODER").asText(format.path("tags").path("encoder").asText(""));
        if (name == null || !name.startsWith("matroska,webm") || !writer.startsWith("Lavf")) {
            return false;
        }
        for (JsonNode stream : streams) {
            if (tag(stream.path("tags"), "_STATISTICS_WRITING_APP") != null) {
                return false;
            }
        }
        return true;
    }

    private static Double stated(JsonNode format, boolean fromZero) {
        if (!format.hasNonNull("duration")) {
            return null;
        }
        return fromStart(format, format.path("duration").asDouble(), fromZero);
    }

    /** A length stated as the time of an end, counted from 0, less {@code from}'s start. */
    private static double fromStart(JsonNode from, double stated, boolean fromZero) {
        double start = from.path("start_time").asDouble(0);
        return fromZero && start > 0 && stated > start ? stated - start : stated;
    }

    /**
     * How long the streams an output keeps play (the first video and the first audio), from the first's start to the
     * last's end: a subtitle or a second audio track that lasts longer is not kept, and no output lasts as long. Each
     * stream's length is its own ({@code duration}) or, in Matroska, its {@code DURATION} tag; null when one does not
     * tell.
     */
    private static Double keptSpan(boolean fromZero, JsonNode... streams) {
        double first = Double.MAX_VALUE;
        double last = -Double.MAX_VALUE;
        boolean any = false;
        for (JsonNode stream : streams) {
            if (stream == null) {
                continue;
            }
            Double length = stream(stream, fromZero);
            if (length == null || !stream.hasNonNull("start_time")) {
                return null;
            }
            double start = stream.path("start_time").asDouble();
            first = Math.min(first, start);
            last = Math.max(last, start + length);
            any = true;
        }
        return any ? last - first : null;
    }

    /**
     * How long a stream plays: its own {@code duration} or, in Matroska, its {@code DURATION} tag, the time of its end
     * where the file states those ({@code fromZero}: a sound beginning 1 s in and lasting 2 s is tagged 3 s); null if
     * neither.
     */
    static Double stream(JsonNode stream, boolean fromZero) {
        if (stream.hasNonNull("duration")) {
            return stream.path("duration").asDouble();
        }
        Double tagged = clock(tag(stream.path("tags"), "DURATION"));
        return tagged == null ? null : fromStart(stream, tagged, fromZero);
    }

    /**
     * A Matroska tag's value, by its name alone or, for a tag in a language other than "und", as ffprobe names it, with
     * the language after a dash: mkvmerge writes its statistics in English ({@code DURATION-eng},
     * {@code _STATISTICS_WRITING_APP-eng}); null when the stream has neither.
     */
    static String tag(JsonNode tags, String name) {
        if (tags.hasNonNull(name)) {
            return tags.path(name).asText();
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = tags.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().startsWith(name + "-") && field.getValue().isTextual()) {
                return field.getValue().asText();
            }
        }
        return null;
    }

    /** The kept streams' span where it is shorter than the file's by more than half a second; the file's otherwise. */
    private static Double shorter(Double stated, Double kept) {
        return stated != null && kept != null && kept > 0 && kept < stated - 0.5 ? kept : stated;
    }

    /** {@code HH:MM:SS.fraction} in seconds; null when it is not one. */
    private static Double clock(String text) {
        if (text == null || !text.matches("[0-9]{1,3}:[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?")) {
            return null;
        }
        String[] parts = text.split(":");
        return Integer.parseInt(parts[0]) * 3600 + Integer.parseInt(parts[1]) * 60 + Double.parseDouble(parts[2]);
    }
}
