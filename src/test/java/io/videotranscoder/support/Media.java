package io.videotranscoder.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.videotranscoder.ffmpeg.CodecThreads;
import io.videotranscoder.ffmpeg.FfmpegTools;

/** Real FFmpeg for tests: generated clips and ffprobe checks, with the same executables the service runs. */
public final class Media {

    /** The clips {@link #clip} made in this build, shared by its test JVMs. */
    private static final Path CLIPS = Path.of("target", "test-clips").toAbsolutePath();

    private static FfmpegTools tools;

    private Media() {
    }

    public static synchronized FfmpegTools tools() throws Exception {
        if (tools == null) {
            tools = FfmpegTools.locate(null, null, Path.of(System.getProperty("user.home"), ".cache", "video-transcoder"),
                    CodecThreads.FFMPEG_CHOOSES);
        }
        return tools;
    }

    /**
     * A clip of {@code testsrc} with a sine tone, {@code seconds} long: a copy of the build's one clip of that length and
     * size, made the first time a test asks for it (the test JVMs ask for the same few clips some 60 times a build).
     */
    public static Path clip(Path dir, String name, int seconds, String size) throws Exception {
        Path made = CLIPS.resolve(seconds + "s-" + size + ".mp4");
        if (!Files.isRegularFile(made)) {
            Files.createDirectories(CLIPS);
            Path partial = Files.createTempFile(CLIPS, "clip-", ".mp4");
            run(tools().ffmpeg().toString(), "-v", "error", "-y",
                    "-f", "lavfi", "-i", "testsrc=duration=" + seconds + ":size=" + size + ":rate=25",
                    "-f", "lavfi", "-i", "sine=duration=" + seconds,
                    "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", "-f", "mp4",
                    partial.toString());
            // Whole or not at all for a test JVM beside this one; when two made it at once, either copy will do.
            Files.move(partial, made, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return Files.copy(made, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * A clip {@code seconds} long (a keyframe each second) whose video packets past {@code from} seconds are damaged,
     * every byte, but kept in the file's index, as a broken copy's are: it states the whole length of picture and of
     * sound, and its picture past there does not decode (FFmpeg goes past such packets and exits 0, unless more than
     * two thirds of them do not decode).
     */
    public static Path damagedPicture(Path dir, String name, int seconds, double from) throws Exception {
        Path whole = dir.resolve("whole-" + name);
        run(tools().ffmpeg().toString(), "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=duration=" + seconds + ":size=320x240:rate=25", "-f", "lavfi", "-i",
                "sine=duration=" + seconds, "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-c:a", "aac",
                "-shortest", whole.toString());
        Path damaged = dir.resolve(name);
        run(tools().ffmpeg().toString(), "-v", "error", "-y", "-i", whole.toString(), "-c", "copy", "-bsf:v",
                "noise=amount='if(gt(pts*tb," + from + "),1,0)'", damaged.toString());
        Files.delete(whole);
        return damaged;
    }

    /**
     * A 12 s 64x64 Matroska clip with FLAC sound whose packets from 6 s on are damaged, where {@code damaged}, but kept
     * in the file's index: it states 12 s of sound, of which the second half does not decode (FFmpeg goes past such
     * packets and exits 0). FLAC, not AAC: a damaged AAC packet may read as a frame of 42 channels, which stops FFmpeg.
     */
    public static Path flacClip(Path dir, String name, boolean damaged) throws Exception {
        List<String> command = new ArrayList<>(List.of(tools().ffmpeg().toString(), "-v", "error", "-y", "-f", "lavfi",
                "-i", "testsrc2=size=64x64:rate=10:duration=12", "-f", "lavfi", "-i", "sine=duration=12", "-c:v",
                "libx264", "-preset", "ultrafast", "-c:a", "flac"));
        if (damaged) {
            command.addAll(List.of("-bsf:a", "noise=amount='if(gte(pts*tb,6),2,0)'"));
        }
        Path clip = dir.resolve(name);
        command.add(clip.toString());
        run(command.toArray(String[]::new));
        return clip;
    }

    /**
     * {@code clip} in Matroska, written as a stream (as a browser records one): it states no length, which ffprobe then
     * does not find.
     */
    public static Path streamedMatroska(Path clip, Path target) throws Exception {
        Process remux = new ProcessBuilder(tools().ffmpeg().toString(), "-v", "error", "-i", clip.toString(), "-c",
                "copy", "-f", "matroska", "pipe:1").redirectOutput(target.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (remux.waitFor() != 0) {
            throw new IOException("Could not remux " + clip + " into Matroska");
        }
        return target;
    }

    /** An audio-only file (a sine tone in AAC). */
    public static Path audioOnly(Path dir, String name) throws Exception {
        Path file = dir.resolve(name);
        run(tools().ffmpeg().toString(), "-v", "error", "-y", "-f", "lavfi", "-i", "sine=duration=1",
                "-c:a", "aac", file.toString());
        return file;
    }

    /**
     * A one-second 320x240 clip with sound and a 96x96 cover picture, its cover before its tracks (MP4 allows the
     * boxes of its header in any order): FFmpeg then reads the cover as the file's first video stream, an attached
     * picture. FFmpeg writes the cover after the tracks; the header's boxes are put in the other order here, which
     * moves no sample (the header comes before the media, so its size and every offset stay).
     */
    public static Path coverFirst(Path dir, String name) throws Exception {
        Path clip = clip(dir, "cover-clip.mp4", 1, "320x240");
        Path cover = dir.resolve("cover.png");
        Path tagged = dir.resolve("tagged-" + name);
        run(tools().ffmpeg().toString(), "-v", "error", "-y", "-f", "lavfi", "-i", "color=red:size=96x96",
                "-frames:v", "1", cover.toString());
        run(tools().ffmpeg().toString(), "-v", "error", "-y", "-i", clip.toString(), "-i", cover.toString(),
                "-map", "0", "-map", "1", "-c", "copy", "-disposition:v:1", "attached_pic", "-movflags", "+faststart",
                tagged.toString());
        ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(tagged));
        int moov = box(file, 0, file.capacity(), "moov");
        int start = moov + 8;
        int end = moov + file.getInt(moov);
        int udta = box(file, start, end, "udta");
        int firstTrak = box(file, start, end, "trak");
        byte[] bytes = file.array();
        byte[] tags = Arrays.copyOfRange(bytes, udta, udta + file.getInt(udta));
        byte[] tracks = Arrays.copyOfRange(bytes, firstTrak, udta);
        if (udta + tags.length != end) {
            throw new IllegalStateException("the cover's box is not the last of the header");
        }
        System.arraycopy(tags, 0, bytes, firstTrak, tags.length);
        System.arraycopy(tracks, 0, bytes, firstTrak + tags.length, tracks.length);
        return Files.write(dir.resolve(name), bytes);
    }

    /** Where the first box of {@code type} starts between {@code from} and {@code to}. */
    private static int box(ByteBuffer file, int from, int to, String type) {
        for (int at = from; at < to; at += file.getInt(at)) {
            if (new String(file.array(), at + 4, 4, StandardCharsets.ISO_8859_1).equals(type)) {
                return at;
            }
        }
        throw new IllegalStateException("no " + type + " box");
    }

    /** {@code codec_name,width,height} of the first video stream, e.g. {@code h264,1280,720}. */
    public static String videoStream(Path file) throws Exception {
        return run(tools().ffprobe().toString(), "-v", "error", "-select_streams", "v:0",
                "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", file.toString()).strip();
    }

    public static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    public static Path text(Path dir, String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
