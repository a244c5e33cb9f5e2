package io.videotranscoder.job;

/**
 * FFmpeg exited 0, but an output file of its is cut (see {@code Mp4Boxes}): a write failed (FFmpeg's HLS muxer goes on
 * past a full disk). Worth another attempt; the last one fails as {@code no_output}.
 */
class CutOutput extends JobFailure {

    static final String WHY = "FFmpeg reported success but wrote a cut output (a disk that filled up for a moment?)";

    CutOutput(String file) {
        super("no_output", "FFmpeg reported success but wrote " + file + " cut short: its boxes end past the file. A"
                           + " write failed, as on a disk that filled up.");
    }

    /** A playlist that names a file FFmpeg did not write. */
    CutOutput(String playlist, String missing) {
        super("no_output", "FFmpeg reported success but " + playlist + " names " + missing + ", which it did not"
                           + " write. A write failed, as on a disk that filled up.");
    }
}
