package io.videotranscoder.http;

import java.util.Map;

/** The content type of each kind of file a job produces. */
public final class ContentTypes {

    private static final Map<String, String> BY_EXTENSION = Map.of(
            "mp4", "video/mp4", "webm", "video/webm", "m4a", "audio/mp4", "m3u8", "application/vnd.apple.mpegurl",
            "ts", "video/mp2t", "m4s", "video/iso.segment", "jpg", "image/jpeg");

    private ContentTypes() {
    }

    public static String of(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "application/octet-stream"
                : BY_EXTENSION.getOrDefault(name.substring(dot + 1), "application/octet-stream");
    }
}
