package io.videotranscoder.job;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.videotranscoder.ffmpeg.InputPolicy;
import io.videotranscoder.ffmpeg.MediaInfo;
import io.videotranscoder.preset.Preset;

/** Whether a job can be done with this input and this FFmpeg: the streams the preset needs, the limits, the encoders. */
class InputAcceptance {

    private final InputPolicy policy;
    private final Set<String> encoders;

    /** @param encoders the encoders this worker's FFmpeg has */
    InputAcceptance(InputPolicy policy, Set<String> encoders) {
        this.policy = policy;
        this.encoders = encoders;
    }

    /** Why the preset cannot use this input, if it cannot: no stream it needs, or over a limit. */
    Optional<JobFailure> refusal(Preset preset, MediaInfo info) {
        if (!preset.isAudioOnly() && !info.hasVideo()) {
            return Optional.of(new JobFailure("no_video_stream", "The file has no video stream (found: "
                    + describe(info) + "); preset " + preset.name() + " makes video. Use audio-aac for sound only."));
        }
        if (preset.isAudioOnly() && !info.hasAudio()) {
            return Optional.of(new JobFailure("no_audio_stream", "The file has no audio stream; preset "
                    + preset.name() + " keeps only the sound."));
        }
        return policy.violation(info).map(reason -> new JobFailure("input_limit", reason));
    }

    /** The encoders the preset needs that this FFmpeg lacks. */
    List<String> missingEncoders(Preset preset) {
        return preset.encoders().stream().filter(e -> !encoders.contains(e)).toList();
    }

    /** @throws JobFailure when this FFmpeg lacks an encoder the preset needs */
    void requireEncoders(Preset preset) {
        List<String> missing = missingEncoders(preset);
        if (!missing.isEmpty()) {
            throw new JobFailure("encoder_missing", "This worker's FFmpeg has no " + String.join(", ", missing) + " encoder.");
        }
    }

    private static String describe(MediaInfo info) {
        return info.audioCodec() != null ? "audio " + info.audioCodec() : "no audio or video streams";
    }
}
