package io.videotranscoder.ffmpeg;

import com.fasterxml.jackson.databind.JsonNode;

/** What ffprobe's JSON says of an input's picture ({@link MediaInfo#parse}): its sides as shown, and its rates. */
final class ProbePicture {

    private ProbePicture() {
    }

    /**
     * The picture's width as shown: pixels that are not square stretched (as PictureFit squares them), and the sides
     * swapped for a picture shown turned by a quarter; null without a video stream or a stated size.
     */
    static Integer width(JsonNode video) {
        return video != null && quarterTurned(video) ? stretchedHeight(video) : stretchedWidth(video);
    }

    /** The picture's height as shown (see {@link #width}). */
    static Integer height(JsonNode video) {
        return video != null && quarterTurned(video) ? stretchedWidth(video) : stretchedHeight(video);
    }

    /** A rate the stream states ({@code avg_frame_rate}, {@code r_frame_rate}): {@code 30000/1001} as 29.97. */
    static Double rate(JsonNode video, String field) {
        return video == null || !video.hasNonNull(field) ? null : rate(video.path(field).asText());
    }

    private static Integer stretchedWidth(JsonNode video) {
        return video == null || !video.has("width") ? null
                : even(video.path("width").asInt() * Math.max(1, pixelAspect(video)));
    }

    private static Integer stretchedHeight(JsonNode video) {
        return video == null || !video.has("height") ? null
                : even(video.path("height").asInt() / Math.min(1, pixelAspect(video)));
    }

    /** The pixels' aspect ({@code sample_aspect_ratio}), within 1:4 and 4:1 as FFmpeg's squaring takes it. */
    private static double pixelAspect(JsonNode video) {
        String[] sar = video.path("sample_aspect_ratio").asText("1:1").split(":");
        if (sar.length != 2 || !sar[0].matches("[1-9][0-9]{0,8}") || !sar[1].matches("[1-9][0-9]{0,8}")) {
            return 1;
        }
        return Math.max(0.25, Math.min(4, Double.parseDouble(sar[0]) / Double.parseDouble(sar[1])));
    }

    /** A side stretched by a pixel aspect, made even as FFmpeg's squaring makes it. */
    private static int even(double side) {
        return 2 * (int) Math.floor(side / 2 + 0.5);
    }

    /** Whether the stream is shown turned by 90 or 270 degrees: its display matrix, or the older {@code rotate} tag. */
    private static boolean quarterTurned(JsonNode video) {
        int rotation = video.path("tags").path("rotate").asInt(0);
        for (JsonNode side : video.path("side_data_list")) {
            rotation = side.has("rotation") ? side.path("rotation").asInt() : rotation;
        }
        return Math.abs(rotation) % 180 == 90;
    }

    /** {@code 30000/1001} as 29.97; {@code 0/0} (unknown) as null. */
    private static Double rate(String fraction) {
        if (!fraction.contains("/")) {
            return null;
        }
        String[] parts = fraction.split("/");
        double denominator = Double.parseDouble(parts[1]);
        return denominator == 0 ? null : Math.round(Double.parseDouble(parts[0]) / denominator * 1000) / 1000.0;
    }
}
