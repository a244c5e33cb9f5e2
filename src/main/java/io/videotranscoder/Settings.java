package io.videotranscoder;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.videotranscoder.ffmpeg.FfmpegSandbox;
import io.videotranscoder.ffmpeg.InputPolicy;
import org.apache.camel.spi.PropertiesComponent;

/** The {@code transcoder.*} settings Java needs (routes read theirs as placeholders). */
public record Settings(int httpPort, Path dataDir, String redisUrl, String ffmpegPath, String ffprobePath, Path cacheDir,
        int concurrency, Duration encodeTimeout, String keyPrefix, Path inboxDir, Path outboxDir, long inboxStableMillis,
        long inboxClaimTimeoutMillis, String instanceName, Path presetsDir, Duration stallTimeout, double maxSlowdown,
        Duration minEncodeLimit, Duration retryBackoff, long minFreeBytes, Duration retention, Duration failedRetention,
        Duration housekeepingPeriod, InputPolicy inputPolicy, long ffmpegMemoryBytes, FfmpegSandbox.Isolation ffmpegNetwork,
        Duration stopGrace) {

    public static Settings from(PropertiesComponent properties) {
        return new Settings(
                Integer.parseInt(required(properties, "transcoder.http-port")),
                Path.of(required(properties, "transcoder.data-dir")),
                optional(properties, "transcoder.redis-url"),
                optional(properties, "transcoder.ffmpeg-path"),
                optional(properties, "transcoder.ffprobe-path"),
                Path.of(required(properties, "transcoder.cache-dir")),
                Integer.parseInt(required(properties, "transcoder.concurrency")),
                Duration.ofMinutes(Long.parseLong(required(properties, "transcoder.encode-timeout-minutes"))),
                required(properties, "transcoder.key-prefix"),
                Path.of(required(properties, "transcoder.inbox-dir")),
                Path.of(required(properties, "transcoder.outbox-dir")),
                Long.parseLong(required(properties, "transcoder.inbox-stable-ms")),
                Long.parseLong(required(properties, "transcoder.inbox-claim-timeout-ms")),
                instanceName(optional(properties, "transcoder.worker-name")),
                Optional.ofNullable(optional(properties, "transcoder.presets-dir")).map(Path::of).orElse(null),
                Duration.ofSeconds(Long.parseLong(required(properties, "transcoder.stall-timeout-seconds"))),
                Double.parseDouble(required(properties, "transcoder.max-slowdown")),
                Duration.ofMinutes(Long.parseLong(required(properties, "transcoder.min-encode-limit-minutes"))),
                Duration.ofMillis(Long.parseLong(required(properties, "transcoder.retry-backoff-ms"))),
                Long.parseLong(required(properties, "transcoder.min-free-bytes")),
                hours(required(properties, "transcoder.retention-hours")),
                hours(required(properties, "transcoder.failed-retention-hours")),
                Duration.ofSeconds(Long.parseLong(required(properties, "transcoder.housekeeping-seconds"))),
                new InputPolicy(Long.parseLong(required(properties, "transcoder.max-input-seconds")),
                        Long.parseLong(required(properties, "transcoder.max-input-pixels")),
                        Double.parseDouble(required(properties, "transcoder.max-input-frame-rate"))),
                Long.parseLong(required(properties, "transcoder.ffmpeg-memory-mb")) << 20,
                FfmpegSandbox.isolation(required(properties, "transcoder.ffmpeg-network")),
                Duration.ofSeconds(Long.parseLong(required(properties, "transcoder.stop-grace-seconds"))));
    }

    /** The configured worker name, else the host name: stable per container, distinct between replicas. */
    private static String instanceName(String configured) {
        if (configured != null) {
            return configured;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static Duration hours(String value) {
        return Duration.ofMillis((long) (Double.parseDouble(value) * 3_600_000));
    }

    private static String optional(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).filter(v -> !v.isBlank()).orElse(null);
    }

    private static String required(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).filter(v -> !v.isBlank())
                .orElseThrow(() -> new IllegalStateException("Missing setting " + key));
    }

    /**
     * What the service takes in: multipart parts per request, how long a multipart request that arrived may go
     * unanswered before its body counts as cut short, and whether inbox originals are kept.
     */
    public record Intake(int maxFormParts, Duration cutBodyDeadline, boolean deleteInboxOriginals) {

        public static Intake from(PropertiesComponent properties) {
            return new Intake(Integer.parseInt(required(properties, "transcoder.max-form-parts")),
                    Duration.ofMillis(Long.parseLong(required(properties, "transcoder.cut-body-deadline-ms"))),
                    Boolean.parseBoolean(required(properties, "transcoder.inbox-delete-originals")));
        }
    }
}
