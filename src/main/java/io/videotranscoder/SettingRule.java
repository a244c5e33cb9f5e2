package io.videotranscoder;

import java.time.Duration;
import java.util.Optional;

/**
 * What a numeric setting may be ({@link SettingsCheck}): a whole number, or a duration in milliseconds (given in the
 * unit its variable names), from {@code min} to {@code max}; or 0 where {@code zero} (its "none").
 */
record SettingRule(boolean duration, long min, long max, boolean zero) {

    /** The longest time a setting may give: 100 years, in milliseconds. */
    static final long LONGEST = Duration.ofDays(36_525).toMillis();

    static SettingRule whole(long min, long max) {
        return new SettingRule(false, min, max, false);
    }

    /** A count the service holds as an {@code int}. */
    static SettingRule atLeast(long min) {
        return new SettingRule(false, min, Integer.MAX_VALUE, false);
    }

    static SettingRule bytes(long min) {
        return new SettingRule(false, min, Long.MAX_VALUE, false);
    }

    static SettingRule time(long minMillis) {
        return new SettingRule(true, minMillis, LONGEST, false);
    }

    /** 0 for none, or at least {@code min}. */
    static SettingRule noneOr(long min) {
        return new SettingRule(false, min, Integer.MAX_VALUE, true);
    }

    /** For a time, {@code number} is in milliseconds. */
    Optional<String> outOfRange(long number) {
        if (number >= min() && number <= max() || zero() && number == 0) {
            return Optional.empty();
        }
        String unit = duration() && min() > 1 ? " ms" : "";
        String range;
        if (max() != Long.MAX_VALUE && max() != Integer.MAX_VALUE && max() != LONGEST) {
            range = "from " + min() + " to " + max();
        } else if (number > max()) {
            range = duration() ? "at most 100 years" : "at most " + max();
        } else {
            range = min() == 0 ? "0 or more" : min() == 1 ? "more than 0" : min() + unit + " or more";
        }
        return Optional.of("must be " + (zero() ? "0 or " : "") + range);
    }
}
