package io.videotranscoder.job;

import io.videotranscoder.ffmpeg.MediaInfo;

/**
 * What the probe run beside an encode found: its output and the findings read from it, or its failure.
 *
 * @param info    the findings, null where they could not be read or stored yet (read again after the encode)
 * @param started when the probe started, in epoch milliseconds: a failed probe is judged as the step it was
 */
record ProbeBeside(String json, MediaInfo info, Exception failure, long started) {

    static ProbeBeside failed(Exception failure, long started) {
        return new ProbeBeside(null, null, failure, started);
    }
}
