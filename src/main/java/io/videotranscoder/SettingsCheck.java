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
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
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

    /** A unit a variable's name ends with, as its milliseconds and its word. */
    private record Unit(String suffix, long millis, String word) {
    }

    private static final List<Unit> UNITS = List.of(new Unit("_MS", 1, "milliseconds"),
            new Unit("_SECONDS", 1_000, "seconds"), new Unit("_MINUTES", 60_000, "minutes"),
            new Unit("_HOURS", 3_600_000, "hours"));

    /** The settings that are true or false (Camel's conversion took nothing else, with a stack trace). */
    private static final List<String> SWITCHES = List.of("transcoder.inbox-delete-originals",
            "transcoder.s3-path-style");
    /** The folders: an empty one was the working folder, and the uploads and the outbox were at the root. */
    private static final List<String> FOLDERS = List.of("transcoder.data-dir", "transcoder.inbox-dir");

    private static final Pattern VARIABLE = Pattern.compile("\\{\\{env:([A-Z0-9_]+):");
    private static final Map<String, SettingRule> RULES = new LinkedHashMap<>();

    static {
        RULES.put("transcoder.http-port", SettingRule.whole(1, 65_535));
        RULES.put("transcoder.management-port", SettingRule.whole(1, 65_535));
        RULES.put("transcoder.concurrency", SettingRule.whole(1, 256));
        RULES.put("transcoder.max-upload-bytes", SettingRule.bytes(1));
        RULES.put("transcoder.min-free-bytes", SettingRule.bytes(0));
        // Below 256 MiB FFmpeg cannot even map its libraries: every job failed, and the sandbox's probe misread it.
        RULES.put("transcoder.ffmpeg-memory-mb", SettingRule.noneOr(256));
        RULES.put("transcoder.ffmpeg-threads", SettingRule.whole(0, 16));
        RULES.put("transcoder.data-limit-bytes", SettingRule.bytes(0)); // 0: no limit
        // A store's parts are 5 MiB at least (but the last); the API holds three of an upload in its heap.
        RULES.put("transcoder.s3-part-size", SettingRule.whole(5L << 20, 1L << 30));
        // Leases are renewed every third of one, every 100 ms at the most: a shorter one runs out while renewed.
        RULES.put("transcoder.lease", SettingRule.time(500));
        RULES.put("transcoder.s3-upload-expiry", SettingRule.time(3_600_000)); // sooner would abort uploads under way
        for (String positive : List.of("max-slowdown", "max-input-seconds", "max-input-pixels",
                "max-input-frame-rate", "max-attempts", "segment-seconds", "max-form-parts", "webhook-concurrency",
                "max-event-streams", "max-event-streams-per-key", "max-downloads-per-key", "max-waits-per-key")) {
            RULES.put("transcoder." + positive, SettingRule.atLeast(1));
        }
        // 0: no splitting, as many streamed uploads as the heap holds, no quota, no minimum rate, any number open or
        // sent at once.
        for (String zeroOrMore : List.of("split-min-seconds", "max-streamed-uploads", "max-active-jobs-per-key",
                "min-body-rate", "max-open-uploads-per-key", "max-uploads-per-key")) {
            RULES.put("transcoder." + zeroOrMore, SettingRule.atLeast(0));
        }
        for (String positive : List.of("inbox-poll", "inbox-claim-timeout", "upload-expiry", "encode-timeout",
                "stall-timeout", "watch-period", "retention", "failed-retention", "housekeeping-period",
                "claim-interval", "queue-block", "redis-timeout", "cut-body-deadline", "webhook-timeout",
                "webhook-connect-timeout", "webhook-schedule-period",
                "event-keepalive", "event-replay", "event-token-lifetime", "event-key-recheck", "request-head-timeout",
                "body-rate-window", "s3-request-timeout", "metrics-refresh", "upload-max-age")) {
            RULES.put("transcoder." + positive, SettingRule.time(1));
        }
        for (String zeroOrMore : List.of("inbox-stable", "min-encode-limit", "retry-backoff", "stop-grace",
                "housekeeping-delay", "webhook-rotation-grace", "body-stall")) {
            RULES.put("transcoder." + zeroOrMore, SettingRule.time(0));
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
        FOLDERS.forEach(name -> properties.resolveProperty(name).filter(String::isBlank).ifPresent(value ->
                problems.add(variableOf(name, definitions).orElse(name) + " must name a folder, not be empty")));
        if (!problems.isEmpty()) {
            throw new StartRefusal(String.join("; ", problems) + ".");
        }
    }

    /** A variable's text: digits alone, in its name's unit (the settings add the unit's letters after it). */
    private static Optional<String> variableProblem(SettingRule rule, String variable, String text) {
        Unit unit = UNITS.stream().filter(u -> rule.duration() && variable.endsWith(u.suffix())).findFirst()
                .orElse(new Unit("", 1, "")); // a count: no unit
        String what = "must be a whole number" + (unit.word().isEmpty() ? "" : " of " + unit.word());
        if (!text.strip().matches("[0-9]{1,18}")) {
            return Optional.of(what);
        }
        long number = Long.parseLong(text.strip());
        return rule.outOfRange(number > Long.MAX_VALUE / unit.millis() ? Long.MAX_VALUE : number * unit.millis());
    }

    private static Optional<String> problem(CamelContext context, SettingRule rule, String value) {
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
        return rule.outOfRange(number);
    }

    /** What a setting's definition adds after its variable: the {@code ms} of a lease in milliseconds. */
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
