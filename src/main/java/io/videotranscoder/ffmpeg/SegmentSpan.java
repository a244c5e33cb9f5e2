package io.videotranscoder.ffmpeg;

/**
 * Which part of the input one segment of a split job encodes.
 *
 * @param from    its first timestamp (inclusive), in the input's time
 * @param to      where it ends (exclusive), or null for the last segment
 * @param at      where it begins on the output's timeline, in seconds from the video's first frame, before rounding
 *                to a frame: a whole number of segment lengths
 * @param seconds how long it is
 */
public record SegmentSpan(double from, Double to, double at, double seconds) {
}
