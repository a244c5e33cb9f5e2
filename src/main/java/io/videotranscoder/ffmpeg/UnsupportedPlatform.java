package io.videotranscoder.ffmpeg;

import io.videotranscoder.process.StartRefusal;

/** No FFmpeg this machine can run: the service cannot start, and the message says what to set. */
public class UnsupportedPlatform extends StartRefusal {

    public UnsupportedPlatform(String message) {
        super(message);
    }
}
