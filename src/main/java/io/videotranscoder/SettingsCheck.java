package io.videotranscoder;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.videotranscoder.process.StartRefusal;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The numeric settings, checked before anything starts: a value that is not a number, or one that would break the
 * service (a lease of 0, a negative timeout, a port past 65535), stops the start with one line naming its variable,
 * instead of a stack trace from deep in a bean, or a service that runs on with it.
 */
final class SettingsCheck {

    /** A whole number, or a duration in the unit its variable names, from {@code min} to {@code max}. */
    private record Rule(boolean duration, long min, long max) {

        static Rule whole(long min, long max) {
            return new Rule(false, min, max);
        }

        static Rule atLeast(long min) {
            return new Rule(false, min, Long.MAX_VALUE);
        }

        static Rule time(long minMillis) {
            return new Rule(true, minMillis, Long.MAX_VALUE);
        }
    }

    private static final Pattern VARIABLE = Pattern.compile("\\{\\{env:([A-Z0-9_]+):");
    private static final Map<String, Rule> RULES = new LinkedHashMap<>();

    static {
        RULES.put("transcoder.http-port", Rule.whole(1, 65_535));
        RULES.put("transcoder.management-port", Rule.whole(1, 65_535));
        RULES.put("transcoder.concurrency", Rule.whole(1, 256));
        RULES.put("transcoder.max-upload-bytes", Rule.atLeast(1));
        RULES.put("transcoder.min-free-bytes", Rule.atLeast(0));
        RULES.put("transcoder.max-slowdown", Rule.atLeast(1));
        RULES.put("transcoder.max-input-seconds", Rule.atLeast(1));
        RULES.put("transcoder.max-input-pixels", Rule.atLeast(1));
        RULES.put("transcoder.max-input-frame-rate", Rule.atLeast(1));
        RULES.put("transcoder.ffmpeg-memory-mb", Rule.atLeast(0));
        RULES.put("transcoder.ffmpeg-threads", Rule.whole(0, 16));
        RULES.put("transcoder.max-attempts", Rule.atLeast(1));
        RULES.put("transcoder.split-min-seconds", Rule.atLeast(0)); // 0: no splitting
        RULES.put("transcoder.segment-seconds", Rule.atLeast(1));
        RULES.put("transcoder.max-form-parts", Rule.atLeast(1));
        RULES.put("transcoder.webhook-concurrency", Rule.atLeast(1));
        RULES.put("transcoder.max-event-streams", Rule.atLeast(1));
        RULES.put("transcoder.max-streamed-uploads", Rule.atLeast(0));
        RULES.put("transcoder.max-event-streams-per-key", Rule.atLeast(1));
        RULES.put("transcoder.max-active-jobs-per-key", Rule.atLeast(0));
        RULES.put("transcoder.min-body-rate", Rule.atLeast(0)); // 0: no minimum
        RULES.put("transcoder.data-limit-bytes", Rule.atLeast(0)); // 0: no limit
        RULES.put("transcoder.max-open-uploads-per-key", Rule.atLeast(0)); // 0: any number
        // A store's parts are 5 MiB at least (but the last); the API holds three of an upload in its heap.
        RULES.put("transcoder.s3-part-size", Rule.whole(5L << 20, 1L << 30));
        RULES.put("transcoder.s3-upload-expiry", Rule.time(3_600_000)); // sooner would abort uploads under way
        for (String positive : List.of("inbox-poll", "inbox-claim-timeout", "upload-expiry", "encode-timeout",
                "stall-timeout", "watch-period", "retention", "failed-retention", "housekeeping-period", "lease",
                "claim-interval", "queue-block", "cut-body-deadline", "webhook-timeout", "webhook-schedule-period",
                "event-keepalive", "event-replay", "event-token-lifetime", "event-key-recheck", "request-head-timeout",
                "body-rate-window")) {
            RULES.put("transcoder." + positive, Rule.time(1));
        }
        for (String zeroOrMore : List.of("inbox-stable", "min-encode-limit", "retry-backoff", "stop-grace",
                "housekeeping-delay", "webhook-rotation-grace")) {
            RULES.put("transcoder." + zeroOrMore, Rule.time(0));
        }
    }

    private SettingsCheck() {
    }

    /** @throws StartRefusal naming every setting that cannot be taken */
    static void check(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        Properties definitions = definitions();
        List<String> problems = new ArrayList<>();
        RULES.forEach((name, rule) -> properties.resolveProperty(name).ifPresent(value -> {
            Optional<String> variable = variableOf(name, definitions);
            Optional<String> fromEnvironment = variable.map(System::getenv);
            // Named as the operator set it: the variable and its own text, or the property and its value.
            String setting = fromEnvironment.isPresent() ? variable.get()
                    : name + variable.map(v -> " (" + v + ")").orElse("");
            String given = fromEnvironment.orElse(value);
            problem(context, rule, value).ifPresent(problem -> problems.add(setting + " " + problem + ", not '"
                                                                             + given + "'"));
        }));
        if (!problems.isEmpty()) {
            throw new StartRefusal(String.join("; ", problems) + ".");
        }
    }

    private static Optional<String> problem(CamelContext context, Rule rule, String value) {
        Long number;
        if (rule.duration()) {
            Duration duration = context.getTypeConverter().tryConvertTo(Duration.class, value.trim());
            number = duration == null ? null : duration.toMillis();
        } else {
            number = context.getTypeConverter().tryConvertTo(Long.class, value.trim());
        }
        if (number == null) {
            return Optional.of("must be a whole number" + (rule.duration() ? " (a time in its unit)" : ""));
        }
        if (number < rule.min() || number > rule.max()) {
            String range = rule.max() != Long.MAX_VALUE ? "from " + rule.min() + " to " + rule.max()
                    : rule.min() == 0 ? "0 or more" : rule.min() == 1 ? "more than 0" : rule.min() + " or more";
            return Optional.of("must be " + range);
        }
        return Optional.empty();
    }

    /** The environment variable a setting is read from, by its definition in the shipped settings. */
    private static Optional<String> variableOf(String property, Properties definitions) {
        Matcher variable = VARIABLE.matcher(definitions.getProperty(property, ""));
        return variable.find() ? Optional.of(variable.group(1)) : Optional.empty();
    }

    /** The shipped settings as written, placeholders and all. */
    private static Properties definitions() {
        Properties definitions = new Properties();
        try (InputStream in = SettingsCheck.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                definitions.load(in);
            }
        } catch (IOException e) {
            // Only the names in the messages come from here: without them, the properties' own names are given.
        }
        return definitions;
    }
}
