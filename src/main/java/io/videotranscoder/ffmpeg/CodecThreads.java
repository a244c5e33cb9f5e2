package io.videotranscoder.ffmpeg;

import java.util.List;

/**
 * How many threads each decoder and encoder of one FFmpeg run may use (TRANSCODER_FFMPEG_THREADS). By default FFmpeg
 * chooses, about one per core for each, which suits one encode at a time on a machine of its own; several encodes at
 * once on few cores spend less CPU in all with fewer, as they then take turns less often (README, Performance).
 *
 * @param count threads per codec; 0 lets FFmpeg choose
 */
public record CodecThreads(int count) {

    public static final CodecThreads FFMPEG_CHOOSES = new CodecThreads(0);

    public CodecThreads {
        if (count < 0) {
            throw new IllegalArgumentException("threads per codec cannot be negative: " + count);
        }
    }

    /** {@code -threads N}: before an input, for its decoders; after it, for the output's encoders. */
    public List<String> option() {
        return count == 0 ? List.of() : List.of("-threads", Integer.toString(count));
    }
}
