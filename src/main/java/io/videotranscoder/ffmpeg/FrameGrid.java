package io.videotranscoder.ffmpeg;

/**
 * A video's frames at a constant rate, counted from its first frame: the frame a boundary in seconds falls on (the
 * first at or after it, as FFmpeg's {@code -force_key_frames} picks), and the cut before a frame, half a frame early,
 * so that no rounding of a timestamp moves a frame across it.
 *
 * @param rate  frames per second
 * @param start when the first frame is, in the input's time
 */
public record FrameGrid(double rate, double start) {

    /** A boundary within a millionth of a frame of a frame is on it: 6 s at 25 fps is frame 150, whatever the sum. */
    private static final double ON_A_FRAME = 1e-6;

    /**
     * The grid of a probed rate, which is rounded to 3 decimals (see {@link MediaInfo}): an NTSC rate (29.97 for
     * 30000/1001, 23.976, 59.94) is taken as its exact fraction again, or after five minutes at 29.97 fps a boundary
     * would fall one frame early, before the single pass's keyframe.
     */
    public static FrameGrid of(double rate, double start) {
        double whole = Math.round(rate * 1.001);
        boolean ntsc = Math.abs(rate * 1.001 - whole) < 0.0005 && Math.abs(rate - Math.round(rate)) > 0.0005;
        return new FrameGrid(ntsc ? whole / 1.001 : rate, start);
    }

    /** The first frame at or after {@code seconds} past the first frame. */
    public long frameAt(double seconds) {
        return (long) Math.ceil(seconds * rate - ON_A_FRAME);
    }

    /** The grid of the input's video, from its first frame (0 when the probe did not tell). */
    public static FrameGrid of(MediaInfo info) {
        return of(info.frameRate(), info.videoStart() == null ? 0 : info.videoStart());
    }

    /** When the frame is, in the input's time. */
    public double time(long frame) {
        return start + frame / rate;
    }

    /** Half a frame before the frame, in the input's time: a bound that keeps the frame after it. */
    public double cutBefore(long frame) {
        return start + (frame - 0.5) / rate;
    }

    /** Half a frame before the frame, counted from {@code first}'s own time: a bound within an encode of its own. */
    public double cutBefore(long frame, long first) {
        return (frame - first - 0.5) / rate;
    }
}
