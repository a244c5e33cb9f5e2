package io.videotranscoder;

import java.util.Map;
import java.util.Properties;

import io.videotranscoder.process.StartRefusal;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The service's own settings file with one value overridden, as {@code -Dtranscoder.*} would: the refusal names the
 * property and its variable (one set in the environment is named alone, with its text; the jar's runs show it).
 */
class SettingsCheckTest {

    /** The shipped settings resolved as Camel resolves them with {@code environment} as the process's. */
    private static DefaultCamelContext withEnvironment(Map<String, String> environment) {
        DefaultCamelContext context = withSetting(null, null);
        context.getPropertiesComponent().addPropertiesFunction(new PropertiesFunction() {
            @Override
            public String getName() {
                return "env";
            }

            @Override
            public String apply(String remainder) {
                int colon = remainder.indexOf(':');
                String name = colon < 0 ? remainder : remainder.substring(0, colon);
                return environment.getOrDefault(name, colon < 0 ? null : remainder.substring(colon + 1));
            }
        });
        return context;
    }

    private static void check(Map<String, String> environment) {
        SettingsCheck.check(withEnvironment(environment), environment::get);
    }

    private static DefaultCamelContext withSetting(String name, String value) {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation("classpath:application.properties");
        Properties override = new Properties();
        if (name != null) {
            override.setProperty(name, value);
        }
        context.getPropertiesComponent().setOverrideProperties(override);
        return context;
    }

    @Test
    void the_shipped_defaults_pass() {
        assertDoesNotThrow(() -> SettingsCheck.check(withSetting(null, null)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "transcoder.concurrency | 0   | transcoder.concurrency (TRANSCODER_CONCURRENCY) must be from 1 to 256, not '0'.",
        "transcoder.http-port | 70000 | transcoder.http-port (HTTP_PORT) must be from 1 to 65535, not '70000'.",
        "transcoder.http-port | abc   | transcoder.http-port (HTTP_PORT) must be a whole number, not 'abc'.",
        "transcoder.lease     | 0ms   | transcoder.lease (TRANSCODER_LEASE_MS) must be 500 ms or more, not '0ms'.",
        "transcoder.max-event-streams | 9999999999 | transcoder.max-event-streams (TRANSCODER_MAX_EVENT_STREAMS) "
            + "must be at most 2147483647, not '9999999999'.",
        "transcoder.ffmpeg-memory-mb | 16 | transcoder.ffmpeg-memory-mb (TRANSCODER_FFMPEG_MEMORY_MB) must be 0 or 256 "
            + "or more, not '16'.",
        "transcoder.stall-timeout | -5s | transcoder.stall-timeout (TRANSCODER_STALL_TIMEOUT_SECONDS) must be more than 0, "
            + "not '-5s'.",
        "transcoder.retry-backoff | xms | transcoder.retry-backoff (TRANSCODER_RETRY_BACKOFF_MS) must be a whole number "
            + "(a time in its unit), not 'xms'.",
        "transcoder.min-free-bytes | -1 | transcoder.min-free-bytes (TRANSCODER_MIN_FREE_BYTES) must be 0 or more, not "
            + "'-1'.",
        "transcoder.ffmpeg-threads | 17 | transcoder.ffmpeg-threads (TRANSCODER_FFMPEG_THREADS) must be from 0 to 16, not "
            + "'17'.",
        "transcoder.s3-part-size | 1048576 | transcoder.s3-part-size (TRANSCODER_S3_PART_BYTES) must be from 5242880 "
            + "to 1073741824, not '1048576'.",
        "transcoder.max-open-uploads-per-key | many | transcoder.max-open-uploads-per-key "
            + "(TRANSCODER_MAX_OPEN_UPLOADS_PER_KEY) must be a whole number, not 'many'."})
    void a_value_that_cannot_be_taken_is_named_by_its_variable(String name, String value, String refusal) {
        StartRefusal refused = assertThrows(StartRefusal.class, () -> SettingsCheck.check(withSetting(name, value)));

        assertEquals(refusal, refused.getMessage());
    }

    /**
     * A variable's text is a whole number in its name's unit, which the settings add after it: "5m" in a variable of
     * seconds was 5 ms, "-1" was 0, and a number too large for its unit wrapped around.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "TRANSCODER_STOP_GRACE_SECONDS | 5m  | TRANSCODER_STOP_GRACE_SECONDS must be a whole number of seconds, "
            + "not '5m'.",
        "TRANSCODER_STOP_GRACE_SECONDS | -1  | TRANSCODER_STOP_GRACE_SECONDS must be a whole number of seconds, "
            + "not '-1'.",
        "TRANSCODER_LEASE_MS           | 2s  | TRANSCODER_LEASE_MS must be a whole number of milliseconds, not '2s'.",
        "TRANSCODER_LEASE_MS           | 200 | TRANSCODER_LEASE_MS must be 500 ms or more, not '200'.",
        "TRANSCODER_ENCODE_TIMEOUT_MINUTES | 153722867280912931 | TRANSCODER_ENCODE_TIMEOUT_MINUTES must be at "
            + "most 100 years, not '153722867280912931'.",
        "TRANSCODER_MAX_EVENT_STREAMS  | 9999999999 | TRANSCODER_MAX_EVENT_STREAMS must be at most 2147483647, not "
            + "'9999999999'.",
        "TRANSCODER_MAX_EVENT_STREAMS  | 10k | TRANSCODER_MAX_EVENT_STREAMS must be a whole number, not '10k'."})
    void a_variable_is_a_whole_number_in_the_unit_its_name_says(String variable, String text, String refusal) {
        StartRefusal refused = assertThrows(StartRefusal.class, () -> check(Map.of(variable, text)));

        assertEquals(refusal, refused.getMessage());
    }

    /** A property (-D, or an override) wins over the variable: its value is checked, the variable's is not. */
    @Test
    void a_property_that_wins_over_its_variable_is_what_is_checked() {
        StartRefusal refused = assertThrows(StartRefusal.class, () -> SettingsCheck.check(
                withSetting("transcoder.lease", "200ms"), Map.of("TRANSCODER_LEASE_MS", "90000")::get));

        assertEquals("transcoder.lease (TRANSCODER_LEASE_MS) must be 500 ms or more, not '200ms'.",
                refused.getMessage());
        assertDoesNotThrow(() -> SettingsCheck.check(withSetting("transcoder.lease", "90s"),
                Map.of("TRANSCODER_LEASE_MS", "5m")::get));
    }

    @Test
    void a_variable_in_its_unit_is_taken() {
        Map<String, String> environment = Map.of("TRANSCODER_STOP_GRACE_SECONDS", "30", "TRANSCODER_LEASE_MS", "500",
                "TRANSCODER_MAX_INPUT_SECONDS", "86400", "TRANSCODER_DATA_LIMIT_BYTES", "10000000000000",
                "TRANSCODER_FFMPEG_MEMORY_MB", "0");
        assertDoesNotThrow(() -> check(environment));
    }

    @Test
    void zero_is_taken_where_it_means_none() {
        assertDoesNotThrow(() -> SettingsCheck.check(withSetting("transcoder.retry-backoff", "0ms")));
        assertDoesNotThrow(() -> SettingsCheck.check(withSetting("transcoder.ffmpeg-memory-mb", "0")));
        assertDoesNotThrow(() -> SettingsCheck.check(withSetting("transcoder.split-min-seconds", "0")));
        assertDoesNotThrow(() -> SettingsCheck.check(withSetting("transcoder.max-active-jobs-per-key", "0")));
        assertDoesNotThrow(() -> SettingsCheck.check(withSetting("transcoder.ffmpeg-threads", "0")));
    }
}
