package io.videotranscoder.ffmpeg;

import com.fasterxml.jackson.databind.JsonNode;

/** How long an input plays, from ffprobe's JSON ({@link MediaInfo#parse}). */
final class ProbeLengths {

    private ProbeLengths() {
    }

    /**
     * How long the input plays: the file's stated length, or the kept streams' span (the first video and the first
     * audio) where that is shorter by more than half a second.
     */
    static Double played(JsonNode format, JsonNode video, JsonNode audio) {
        return shorter(stated(format), keptSpan(format, video, audio));
    }

    /**
     * How long the input plays. A Matroska (or WebM) file FFmpeg wrote states the time of its end, counted from 0
     * whatever its first timestamp: a cut of a recording whose timestamps begin at 10 s plays for its stated length
     * less 10 s. mkvmerge states the length itself (its last timestamp less its first), as other formats do.
     */
    private static Double stated(JsonNode format) {
        if (!format.hasNonNull("duration")) {
            return null;
        }
        return fromStart(format, format.path("duration").asDouble(), format);
    }

    /** A length FFmpeg's Matroska muxer stated as the time of an end, counted from 0, less {@code from}'s start. */
    private static double fromStart(JsonNode from, double stated, JsonNode format) {
        double start = from.path("start_time").asDouble(0);
        String name = format.hasNonNull("format_name") ? format.path("format_name").asText() : null;
        String writer = format.path("tags").path("ENCODER").asText(format.path("tags").path("encoder").asText(""));
        boolean fromZero = name != null && name.startsWith("matroska,webm") && writer.startsWith("Lavf");
        return fromZero && start > 0 && stated > start ? stated - start : stated;
    }

    /**
     * How long the streams an output keeps play (the first video and the first audio), from the first's start to the
     * last's end: a subtitle or a second audio track that lasts longer is not kept, and no output lasts as long. Each
     * stream's length is its own ({@code duration}) or, in Matroska, its {@code DURATION} tag; null when one does not
     * tell.
     */
    private static Double keptSpan(JsonNode format, JsonNode... streams) {
        double first = Double.MAX_VALUE;
        double last = -Double.MAX_VALUE;
        boolean any = false;
        for (JsonNode stream : streams) {
            if (stream == null) {
                continue;
            }
            Double length = stream(stream, format);
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
     * How long a stream plays: its own {@code duration} or, in Matroska, its {@code DURATION} tag, which FFmpeg's
     * muxer states as {@link #stated} states the file's (a sound beginning 1 s in and lasting 2 s is tagged 3 s); null
     * if neither.
     */
    static Double stream(JsonNode stream, JsonNode format) {
        if (stream.hasNonNull("duration")) {
            return stream.path("duration").asDouble();
        }
        Double tagged = clock(stream.path("tags").path("DURATION").asText(null));
        return tagged == null ? null : fromStart(stream, tagged, format);
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
