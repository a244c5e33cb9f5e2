package io.videotranscoder.job;

import java.time.Duration;
import java.util.Optional;

/**
 * How long an encode may go on: its media time may not stand still for the stall timeout while it writes nothing
 * (an MP4's index moved to the front rewrites the whole output after the last frame, for minutes on a long film) and
 * uses no CPU over the last half of it (a long decode before the first frame; for five stall timeouts at most), and it
 * may run neither longer than the encode timeout nor far longer than its input lasts.
 *
 * @param stallTimeout  how long FFmpeg's media time may stand still
 * @param maxSlowdown   an encode may last this many times its input's duration (at least {@code minLimit})
 * @param encodeTimeout how long any encode may last
 */
record EncodeLimits(Duration stallTimeout, double maxSlowdown, Duration minLimit, Duration encodeTimeout) {

    /** How many stall timeouts FFmpeg's use of the CPU alone keeps an encode whose media time stands still going. */
    static final int CPU_ONLY_STALLS = 5;

    /** Why the encode must stop at {@code now} ({@link EncodeWatcher#now}'s clock), if it must. */
    Optional<EncodeWatcher.Stop> overdue(WatchedEncode encode, long now) {
        long still = now - encode.advancedAt();
        if (still > stallTimeout.toMillis() / 2) {
            encode.noteCpu(now);
            encode.noteFiles(now);
        }
        if (still > stallTimeout.toMillis() && !encode.writes(now, stallTimeout.toMillis() / 2)
            && !encode.works(now, stallTimeout.toMillis() * CPU_ONLY_STALLS)) {
            return Optional.of(EncodeWatcher.Stop.STALLED);
        }
        if (now - encode.startedAt > encodeTimeout.toMillis()) {
            return Optional.of(EncodeWatcher.Stop.TIMEOUT);
        }
        if (now - encode.startedAt > limit(encode.durationSeconds()).toMillis()) {
            return Optional.of(EncodeWatcher.Stop.TOO_SLOW);
        }
        return Optional.empty();
    }

    /** How long an encode may run: a multiple of the input's duration, never less than the minimum. */
    Duration limit(Double durationSeconds) {
        if (durationSeconds == null) {
            return Duration.ofDays(365); // unknown length: only the stall watchdog and the overall timeout apply
        }
        Duration proportional = Duration.ofMillis((long) (durationSeconds * maxSlowdown * 1000));
        return proportional.compareTo(minLimit) > 0 ? proportional : minLimit;
    }
}
