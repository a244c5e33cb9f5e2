package io.videotranscoder.ffmpeg;

import java.nio.file.Path;
import java.util.ArrayList;
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

    /** {@code -i file:<input>}, with {@code -threads N} before it for its decoders and after it for the encoders. */
    public List<String> input(Path input) {
        List<String> option = count == 0 ? List.of() : List.of("-threads", Integer.toString(count));
        List<String> args = new ArrayList<>(option);
        args.addAll(List.of("-i", "file:" + input));
        args.addAll(option);
        return args;
    }
}
