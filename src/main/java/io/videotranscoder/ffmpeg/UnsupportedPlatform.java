package io.videotranscoder.ffmpeg;

/** No FFmpeg this machine can run: the service cannot start, and the message says what to set. */
public class UnsupportedPlatform extends IllegalStateException {

    public UnsupportedPlatform(String message) {
        super(message);
    }
}
