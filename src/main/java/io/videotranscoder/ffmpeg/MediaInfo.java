package io.videotranscoder.ffmpeg;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What ffprobe says about an input. Any field may be null when the container does not tell. */
public record MediaInfo(String format, Double durationSeconds, String videoCodec, Integer width, Integer height,
        Double frameRate, String audioCodec, Integer audioChannels) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean hasVideo() {
        return videoCodec != null;
    }

    public boolean hasAudio() {
        return audioCodec != null;
    }

    /** Reads {@code ffprobe -print_format json -show_format -show_streams}. */
    public static MediaInfo parse(String json) throws IOException {
        JsonNode root = JSON.readTree(json);
        JsonNode format = root.path("format");
        JsonNode video = null;
        JsonNode audio = null;
        for (JsonNode stream : root.path("streams")) {
            String type = stream.path("codec_type").asText();
            // Cover art is a one-frame "video" stream: not a video.
            boolean attachedPicture = stream.path("disposition").path("attached_pic").asInt() == 1;
            if (video == null && "video".equals(type) && !attachedPicture) {
                video = stream;
            } else if (audio == null && "audio".equals(type)) {
                audio = stream;
            }
        }
        return new MediaInfo(
                text(format, "format_name"),
                format.hasNonNull("duration") ? format.path("duration").asDouble() : null,
                video == null ? null : text(video, "codec_name"),
                video == null || !video.has("width") ? null : video.path("width").asInt(),
                video == null || !video.has("height") ? null : video.path("height").asInt(),
                video == null ? null : rate(text(video, "avg_frame_rate")),
                audio == null ? null : text(audio, "codec_name"),
                audio == null || !audio.has("channels") ? null : audio.path("channels").asInt());
    }

    /** {@code 30000/1001} as 29.97; {@code 0/0} (unknown) as null. */
    private static Double rate(String fraction) {
        if (fraction == null || !fraction.contains("/")) {
            return null;
        }
        String[] parts = fraction.split("/");
        double denominator = Double.parseDouble(parts[1]);
        return denominator == 0 ? null : Math.round(Double.parseDouble(parts[0]) / denominator * 1000) / 1000.0;
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.path(field).asText() : null;
    }
}
