package io.videotranscoder.ffmpeg;

import java.io.IOException;
import java.nio.file.Files;
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
    /**
     * The address space one thread of a codec needs, at most, in a 4K encode: with 4096 MiB, x264, x265, VP9 and AV1
     * encoded 4K at 8 threads, and x265 died at 12 (x264 at 16; at 1080p x265 at 48, x264 at 96).
     */
    static final long MIB_PER_THREAD = 512;

    /**
     * The cores FFmpeg counts when it chooses: those this process may run on (its affinity), which a container's CPU
     * limit does not lower, unlike the JVM's count of processors.
     */
    public static int coresFfmpegSees() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("Cpus_allowed_list:"))
                    .map(line -> cores(line.substring(line.indexOf(':') + 1).strip())).findFirst()
                    .orElse(Runtime.getRuntime().availableProcessors());
        } catch (IOException | RuntimeException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** How many cores a CPU list names: {@code 0-3,8,10-11} is 7. */
    static int cores(String list) {
        int count = 0;
        for (String range : list.split(",")) {
            String[] ends = range.strip().split("-");
            count += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
        }
        return count;
    }

    /**
     * The threads for {@code configured} (0: FFmpeg chooses, about one per core) where each FFmpeg may map
     * {@code memoryMb} (0: no limit) on {@code cores}: FFmpeg's own choice on a machine with many cores would map more
     * than the limit, and a 4K encode failed (out of memory, or x265's crash) on any machine of more than 8 cores.
     */
    public static CodecThreads within(int configured, long memoryMb, int cores) {
        long fits = Math.max(1, memoryMb / MIB_PER_THREAD);
        return configured == 0 && memoryMb > 0 && cores > fits ? new CodecThreads((int) fits)
                : new CodecThreads(configured);
    }

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
