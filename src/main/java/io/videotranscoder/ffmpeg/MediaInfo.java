package io.videotranscoder.ffmpeg;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What ffprobe says about an input. Any field may be null when the container does not tell. */
public record MediaInfo(String format, Double durationSeconds, String videoCodec, Integer width, Integer height,
        String audioCodec) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean hasVideo() {
        return videoCodec != null;
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
                audio == null ? null : text(audio, "codec_name"));
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.path(field).asText() : null;
    }
}
