package io.videotranscoder.ffmpeg;

import io.videotranscoder.preset.Preset;

/**
 * How a picture fits a preset's box: the scale filter that fits it (decided on FFmpeg's side, after autorotation),
 * the size that gives, and the bitrate of the share of the box it fills.
 */
final class PictureFit {

    /** The least bitrate a scaled-down video gets, the lower bound of a client's own bitrate. */
    private static final long MIN_VIDEO_KILOBITS = 64;
    /** A picture this close to its box (854x480 shown as 852x480) needs the box's bitrate. */
    private static final double FULL_BOX = 0.95;

    private PictureFit() {
    }

    /**
     * A picture stored with pixels that are not square (DV, DVD, broadcast SD: 720x576 shown at 16:9) stretched to its
     * shape as shown, so that the fit after it keeps that shape: wide pixels widen it, tall ones (such a picture turned
     * a quarter) make it taller; square pixels pass as they are. A crafted aspect is taken as at most 4:1 either way,
     * so that the stretched picture's frames stay within reach of FFmpeg's memory.
     */
    static final String SQUARE_PIXELS = "scale=w='if(gt(sar,1),2*trunc(iw*min(sar,4)/2+0.5),iw)'"
            + ":h='if(lt(sar,1),2*trunc(ih/max(sar,0.25)/2+0.5),ih)'";

    /**
     * Interlaced frames (DV, broadcast, camcorders: two fields of different instants in one frame) made whole, each
     * into one frame; progressive frames pass as they are. Left interlaced, every moving edge of the output is combed.
     */
    static final String DEINTERLACE = "bwdif=mode=send_frame:parity=auto:deint=interlaced";

    /** What every picture goes through before its fit: deinterlaced, its pixels squared. */
    static final String PREPARED = DEINTERLACE + "," + SQUARE_PIXELS;

    /** The picture {@link #PREPARED}, then {@link #fit} in the box. */
    static String scale(Preset.Video video) {
        return PREPARED + "," + fit(video);
    }

    /**
     * Fits the picture in the box keeping its shape, both sides even; a smaller source keeps its size unless the
     * preset enlarges. The box is turned to the picture's orientation (a portrait clip on a 1280x720 box fits
     * 720x1280): FFmpeg's {@code iw}/{@code ih} are the picture as shown, after autorotation, so the expression
     * needs no probe.
     */
    static String fit(Preset.Video video) {
        int wide = Math.max(video.width(), video.height());
        int narrow = Math.min(video.width(), video.height());
        String w = "if(gt(ih,iw)," + narrow + "," + wide + ")";
        String h = "if(gt(ih,iw)," + wide + "," + narrow + ")";
        if (!video.enlarges()) {
            w = "min(" + w + ",iw)";
            h = "min(" + h + ",ih)";
        }
        return "scale=w='" + w + "':h='" + h + "':force_original_aspect_ratio=decrease:force_divisible_by=2,setsar=1";
    }

    /**
     * The bitrate of a picture fitted in a box: the given one when the picture fills the box (or the source is not
     * known), else that share of it by pixel count, so that a 720p output of a 1080p preset is not given 1080p's bits.
     */
    static String bitrate(String bitrate, int boxWidth, int boxHeight, boolean enlarges, MediaInfo info) {
        if (bitrate == null || enlarges || info == null || info.width() == null || info.height() == null) {
            return bitrate;
        }
        int[] size = fitted(boxWidth, boxHeight, info.width(), info.height());
        double share = (double) size[0] * size[1] / ((double) boxWidth * boxHeight);
        if (share >= FULL_BOX) {
            return bitrate;
        }
        long kilobits = bitrate.endsWith("M") ? Long.parseLong(bitrate.substring(0, bitrate.length() - 1)) * 1000
                : Long.parseLong(bitrate.substring(0, bitrate.length() - 1));
        return Math.max(MIN_VIDEO_KILOBITS, Math.round(kilobits * share)) + "k";
    }

    /** The size {@link #scale} gives a source of {@code width}x{@code height} (as shown) in a box it does not enlarge. */
    static int[] fitted(int boxWidth, int boxHeight, int width, int height) {
        boolean portrait = height > width;
        int w = Math.min(width, portrait ? Math.min(boxWidth, boxHeight) : Math.max(boxWidth, boxHeight));
        int h = Math.min(height, portrait ? Math.max(boxWidth, boxHeight) : Math.min(boxWidth, boxHeight));
        if ((long) w * height > (long) h * width) {
            w = (int) ((long) h * width / height);
        } else {
            h = (int) ((long) w * height / width);
        }
        return new int[] {w - w % 2, h - h % 2};
    }
}
