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
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import io.videotranscoder.process.StartRefusal;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The numeric settings, checked before anything starts: a value that is not a number, or one that would break the
 * service (a lease of 0, a negative timeout, a port past 65535), stops the start with one line naming its variable,
 * instead of a stack trace from deep in a bean, or a service that runs on with it. A variable's text is a whole number
 * alone, in the unit its name says: the settings add the unit to it, and {@code 5m} in a variable of seconds was 5 ms.
 */
final class SettingsCheck {

    /** The longest time a setting may give: 100 years, in milliseconds. */
    private static final long LONGEST = Duration.ofDays(36_525).toMillis();

    /**
     * A whole number, or a duration (in milliseconds) given in the unit its variable names, from {@code min} to
     * {@code max}; or 0 where {@code zero} (its "none").
     */
    private record Rule(boolean duration, long min, long max, boolean zero) {

        static Rule whole(long min, long max) {
            return new Rule(false, min, max, false);
        }

        /** A count the service holds as an {@code int}. */
        static Rule atLeast(long min) {
            return new Rule(false, min, Integer.MAX_VALUE, false);
        }

        static Rule bytes(long min) {
            return new Rule(false, min, Long.MAX_VALUE, false);
        }

        static Rule time(long minMillis) {
            return new Rule(true, minMillis, LONGEST, false);
        }

        /** 0 for none, or at least {@code min}. */
        static Rule noneOr(long min) {
            return new Rule(false, min, Integer.MAX_VALUE, true);
        }
    }

    /** The unit a variable's name gives its number, in milliseconds. */
    private static final Map<String, Long> UNITS = Map.of("_MS", 1L, "_SECONDS", 1_000L, "_MINUTES", 60_000L,
            "_HOURS", 3_600_000L);

    /** The settings that are true or false (Camel's conversion took nothing else, with a stack trace). */
    private static final List<String> SWITCHES = List.of("transcoder.inbox-delete-originals", "transcoder.s3-path-style");
    /** The folders: an empty one was the working folder, and the uploads and outbox beside it the file system's root. */
    private static final List<String> FOLDERS = List.of("transcoder.data-dir", "transcoder.inbox-dir");

    private static final Pattern VARIABLE = Pattern.compile("\\{\\{env:([A-Z0-9_]+):");
    private static final Map<String, Rule> RULES = new LinkedHashMap<>();

    static {
        RULES.put("transcoder.http-port", Rule.whole(1, 65_535));
        RULES.put("transcoder.management-port", Rule.whole(1, 65_535));
        RULES.put("transcoder.concurrency", Rule.whole(1, 256));
        RULES.put("transcoder.max-upload-bytes", Rule.bytes(1));
        RULES.put("transcoder.min-free-bytes", Rule.bytes(0));
        RULES.put("transcoder.max-slowdown", Rule.atLeast(1));
        RULES.put("transcoder.max-input-seconds", Rule.atLeast(1));
        RULES.put("transcoder.max-input-pixels", Rule.atLeast(1));
        RULES.put("transcoder.max-input-frame-rate", Rule.atLeast(1));
        // Below 256 MiB FFmpeg cannot even map its libraries: every job failed, and the sandbox's probe misread it.
        RULES.put("transcoder.ffmpeg-memory-mb", Rule.noneOr(256));
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
        RULES.put("transcoder.data-limit-bytes", Rule.bytes(0)); // 0: no limit
        RULES.put("transcoder.max-open-uploads-per-key", Rule.atLeast(0)); // 0: any number
        // A store's parts are 5 MiB at least (but the last); the API holds three of an upload in its heap.
        RULES.put("transcoder.s3-part-size", Rule.whole(5L << 20, 1L << 30));
        // Leases are renewed every third of one, every 100 ms at the most: a shorter one runs out while renewed.
        RULES.put("transcoder.lease", Rule.time(500));
        RULES.put("transcoder.s3-upload-expiry", Rule.time(3_600_000)); // sooner would abort uploads under way
        for (String positive : List.of("inbox-poll", "inbox-claim-timeout", "upload-expiry", "encode-timeout",
                "stall-timeout", "watch-period", "retention", "failed-retention", "housekeeping-period",
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
        check(context, System::getenv);
    }

    /** As {@link #check(CamelContext)}, with the variables of {@code environment}. */
    static void check(CamelContext context, UnaryOperator<String> environment) {
        PropertiesComponent properties = context.getPropertiesComponent();
        Properties definitions = definitions();
        List<String> problems = new ArrayList<>();
        RULES.forEach((name, rule) -> properties.resolveProperty(name).ifPresent(value -> {
            Optional<String> variable = variableOf(name, definitions);
            // The variable's text where it is what the setting holds (a -D property or an override wins over it).
            String unitLetters = unitLetters(definitions.getProperty(name, ""));
            Optional<String> fromEnvironment = variable.map(environment)
                    .filter(text -> value.equals(text + unitLetters));
            // Named as the operator set it: the variable and its own text, or the property and its value.
            String setting = fromEnvironment.isPresent() ? variable.get()
                    : name + variable.map(v -> " (" + v + ")").orElse("");
            String given = fromEnvironment.orElse(value);
            Optional<String> problem = fromEnvironment.isPresent() ? variableProblem(rule, variable.get(), given)
                    : problem(context, rule, value);
            problem.ifPresent(p -> problems.add(setting + " " + p + ", not '" + given + "'"));
        }));
        SWITCHES.forEach(name -> properties.resolveProperty(name).map(String::strip)
                .filter(value -> !value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false"))
                .ifPresent(value -> problems.add(variableOf(name, definitions).orElse(name)
                                                 + " must be true or false, not '" + value + "'")));
        FOLDERS.forEach(name -> properties.resolveProperty(name).filter(String::isBlank).ifPresent(
                value -> problems.add(variableOf(name, definitions).orElse(name) + " must name a folder, not be empty")));
        if (!problems.isEmpty()) {
            throw new StartRefusal(String.join("; ", problems) + ".");
        }
    }

    /** A variable's text: digits alone, in its name's unit (the settings add the unit's letters after it). */
    private static Optional<String> variableProblem(Rule rule, String variable, String text) {
        long unit = !rule.duration() ? 1 : UNITS.entrySet().stream().filter(u -> variable.endsWith(u.getKey()))
                .mapToLong(Map.Entry::getValue).findFirst().orElse(1);
        String what = "must be a whole number" + (rule.duration() ? " of " + unitName(variable) : "");
        if (!text.strip().matches("[0-9]{1,18}")) {
            return Optional.of(what);
        }
        long number = Long.parseLong(text.strip());
        return outOfRange(rule, number > Long.MAX_VALUE / unit ? Long.MAX_VALUE : number * unit);
    }

    private static String unitName(String variable) {
        return variable.substring(variable.lastIndexOf('_') + 1).toLowerCase(java.util.Locale.ROOT)
                .replace("ms", "milliseconds");
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
        return outOfRange(rule, number);
    }

    /** For a time, {@code number} is in milliseconds. */
    private static Optional<String> outOfRange(Rule rule, long number) {
        if (number >= rule.min() && number <= rule.max() || rule.zero() && number == 0) {
            return Optional.empty();
        }
        String unit = rule.duration() && rule.min() > 1 ? " ms" : "";
        String range;
        if (rule.max() != Long.MAX_VALUE && rule.max() != Integer.MAX_VALUE && rule.max() != LONGEST) {
            range = "from " + rule.min() + " to " + rule.max();
        } else if (number > rule.max()) {
            range = rule.duration() ? "at most 100 years" : "at most " + rule.max();
        } else {
            range = rule.min() == 0 ? "0 or more" : rule.min() == 1 ? "more than 0" : rule.min() + unit + " or more";
        }
        return Optional.of("must be " + (rule.zero() ? "0 or " : "") + range);
    }

    /** What a setting's definition adds after its variable: {@code ms} in {@code {{env:TRANSCODER_LEASE_MS:60000}}ms}. */
    private static String unitLetters(String definition) {
        int end = definition.lastIndexOf("}}");
        return end < 0 ? "" : definition.substring(end + 2).strip();
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
