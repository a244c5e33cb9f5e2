package io.videotranscoder.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.videotranscoder.redis.EmbeddedRedis;
import io.videotranscoder.redis.RedisConnections;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.Frozen;
import io.videotranscoder.support.JarProcess;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisConnectionException;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two workers on one Redis and data root with a short lease. The worker process running a job is frozen with its
 * FFmpeg (SIGSTOP, as a frozen VM would be) until the other has taken the job over, then resumed: it must stop its
 * FFmpeg and leave the job alone, and the job ends once, with the output of the attempt that holds it. The other
 * worker starts in this JVM once the first is frozen with the job running, so that the job is the first one's.
 */
class FencingIT {

    private static final Duration LEASE = Duration.ofSeconds(4);

    @TempDir
    Path root;

    @Test
    void a_worker_resumed_after_losing_its_job_stops_its_ffmpeg_and_changes_nothing() throws Exception {
        EmbeddedRedis redis = new EmbeddedRedis(root.resolve("redis"), TestApp.CACHE);
        redis.start();
        // Progress (and a refused progress write) every quarter second. The other worker, in this JVM, looks for
        // expired leases five times a second (TestApp's timers), so the takeover follows the lease's end closely.
        Map<String, String> env = firstWorker(redis, Map.of("TRANSCODER_WATCH_PERIOD_MS", "250"));
        List<String> events = new CopyOnWriteArrayList<>();
        JobEventsSeen seen = new JobEventsSeen(events);
        try (JedisPooled jedis = RedisConnections.pooled(redis.url(), 4, SUBSCRIBED,
                RedisConnections.REPLY_TIMEOUT);
             JarProcess stale = JarProcess.launch(root.resolve("a"), root.resolve("a.log"), TestApp.freePort(), env)) {
            Thread listener = new Thread(() -> listen(jedis, seen), "events");
            listener.start();
            await().atMost(Duration.ofSeconds(10)).until(seen::isSubscribed);
            // Frozen as soon as its encode reports progress, the first worker is still encoding when it resumes
            // (HEVC runs about real time here); seconds to encode again for the other.
            Path clip = Media.clip(root, "long.mp4", 3, "1280x720");
            stale.awaitLive();
            String id = stale.http().upload("/jobs", clip, "long.mp4", Map.of("preset", "hevc-1080p")).json()
                    .path("id").asText();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> stale.http().get("/jobs/" + id).json(), j -> j.path("progress").asInt() > 0);
            List<ProcessHandle> staleEncodes = Frozen.running(stale.process().toHandle(), id, "");
            assertFalse(staleEncodes.isEmpty(), "the first worker's FFmpeg runs");
            List<ProcessHandle> frozen = new ArrayList<>(stale.process().descendants().toList());
            frozen.add(stale.process().toHandle());
            Frozen.signal("STOP", frozen);

            try (TestApp holder = TestApp.start(root.resolve("videos"), Map.of("transcoder.redis-url", redis.url(),
                    "transcoder.lease", LEASE.toMillis() + "ms", "transcoder.worker-name", "worker-b",
                    "transcoder.inbox-dir", root.resolve("inbox").toString()))) {
                Http http = holder.http();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> http.get("/jobs/" + id).json(), j -> j.path("attempts").asInt() == 2
                                && j.path("worker").asText().equals("worker-b"));
                assertTrue(stale.process().isAlive());
                Frozen.signal("CONT", frozen);

                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                        .until(() -> staleEncodes.stream().noneMatch(ProcessHandle::isAlive));
                JsonNode done = await().atMost(Duration.ofMinutes(5)).until(() -> http.get("/jobs/" + id + "?wait=20")
                        .json(), j -> !j.path("status").asText().equals("running"));
                assertEquals("succeeded", done.path("status").asText(), done.toString());
                assertEquals("worker-b", done.path("worker").asText());
                assertEquals(2, done.path("attempts").asInt());
                assertEquals(1, done.path("outputs").size());
                Path output = root.resolve("videos").resolve(id).resolve(done.path("outputs").get(0).path("name")
                        .asText());
                assertTrue(Media.videoStream(output).startsWith("hevc,"), "the output plays: " + output);
                assertTrue(Files.notExists(root.resolve("videos").resolve(id).resolve(".work")),
                        "no attempt's work is left");

                // The stale worker stored nothing, not even later: one outcome, one acknowledgement.
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                        .until(() -> events.stream().filter(e -> e.startsWith(id) && !e.endsWith("running")
                                        && !e.endsWith("queued")).toList(),
                                ends -> ends.equals(List.of(id + " succeeded")));
                assertEquals(0, jedis.xpending("transcoder:jobs", "workers").getTotal());
            }
            String staleLog = Files.readString(root.resolve("a.log"));
            assertTrue(staleLog.contains("Lost the lease of entry"), stale.logTail());
            assertFalse(staleLog.contains("Job " + id + " failed"), stale.logTail());
            assertFalse(staleLog.contains("not acknowledged"), stale.logTail());
            assertFalse(staleLog.contains(" ERROR "), "losing a job is no error:\n" + stale.logTail());
            seen.unsubscribe();
            listener.join(5000);
        } finally {
            redis.stop();
        }
    }

    /**
     * The same for a part of a split job, whose runs all share the job's attempt: the first worker is frozen while it
     * encodes a segment, and the other takes the part over. While the other encodes it (held there, so that the job
     * still runs), the first is resumed with its FFmpeg killed meanwhile, as if it had crashed: it must see that the
     * part is no longer its own, and neither retry it nor fail the job. Then the job succeeds once.
     */
    @Test
    void a_worker_resumed_after_losing_a_part_leaves_the_job_to_the_parts_new_owner() throws Exception {
        EmbeddedRedis redis = new EmbeddedRedis(root.resolve("redis"), TestApp.CACHE);
        redis.start();
        Map<String, String> env = firstWorker(redis, Map.of("TRANSCODER_SPLIT_MIN_SECONDS", "5",
                "TRANSCODER_SEGMENT_SECONDS", "2"));
        try (JedisPooled jedis = RedisConnections.pooled(redis.url(), 4, SUBSCRIBED,
                RedisConnections.REPLY_TIMEOUT);
             JarProcess stale = JarProcess.launch(root.resolve("a"), root.resolve("a.log"), TestApp.freePort(), env)) {
            // Three segments on the default preset (1280x720): each long enough to be caught encoding.
            Path clip = Media.clip(root, "long.mp4", 6, "320x240");
            stale.awaitLive();
            String id = stale.http().upload("/jobs", clip, "long.mp4", Map.of()).json().path("id").asText();
            List<ProcessHandle> segment = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Frozen.encodes(stale.process().toHandle(), id, "segment-"), l -> !l.isEmpty());
            List<ProcessHandle> frozen = new ArrayList<>(stale.process().descendants()
                    .filter(p -> !segment.contains(p)).toList());
            frozen.add(stale.process().toHandle());
            Frozen.signal("STOP", frozen);
            Matcher name = Pattern.compile("segment-\\d+\\.").matcher(segment.get(0).info().commandLine().orElse(""));
            assertTrue(name.find(), "the frozen FFmpeg encodes a segment");

            try (TestApp holder = TestApp.start(root.resolve("videos"), Map.of("transcoder.redis-url", redis.url(),
                    "transcoder.lease", LEASE.toMillis() + "ms", "transcoder.worker-name", "worker-b",
                    "transcoder.inbox-dir", root.resolve("inbox").toString(), "transcoder.split-min-seconds", "5",
                    "transcoder.segment-seconds", "2"))) {
                Http http = holder.http();
                // The other worker's encode of the same segment (this JVM's child; the first worker's is one too).
                List<ProcessHandle> taken = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                        .until(() -> {
                            List<ProcessHandle> encodes = Frozen.running(ProcessHandle.current(), id, name.group())
                                    .stream().filter(p -> !segment.contains(p)).toList();
                            return !encodes.isEmpty() && Frozen.freeze(encodes) ? encodes : List.<ProcessHandle>of();
                        }, l -> !l.isEmpty());

                Frozen.signal("KILL", segment);
                Frozen.signal("CONT", frozen);
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                        .until(() -> Files.readString(root.resolve("a.log")).contains("Lost the lease of entry"));
                JsonNode meanwhile = await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                        .until(() -> http.get("/jobs/" + id).json(), j -> j.path("status").asText().equals("running"));
                assertFalse(meanwhile.has("error"), "the first worker wrote on the job: " + meanwhile);
                Frozen.signal("CONT", taken);

                JsonNode done = await().atMost(Duration.ofMinutes(3)).until(() -> http.get("/jobs/" + id + "?wait=20")
                        .json(), j -> !j.path("status").asText().equals("running"));
                assertEquals("succeeded", done.path("status").asText(), done.toString());
                assertEquals(3, done.path("segments").path("done").asInt(), done.toString());
                // Each part acknowledged once, by its owner (the join's entry, just after the job's success).
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> jedis.xpending("transcoder:parts", "workers").getTotal() == 0);
            }
            String staleLog = Files.readString(root.resolve("a.log"));
            assertFalse(staleLog.contains("retrying"), stale.logTail());
            assertFalse(staleLog.contains("Job " + id + " failed"), stale.logTail());
            assertFalse(staleLog.contains(" ERROR "), "losing a part is no error:\n" + stale.logTail());
        } finally {
            redis.stop();
        }
    }

    /** The environment of the first worker, the one frozen: on the shared Redis and data root, with a short lease. */
    private Map<String, String> firstWorker(EmbeddedRedis redis, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(Map.of("REDIS_URL", redis.url(), "TRANSCODER_LEASE_MS",
                Long.toString(LEASE.toMillis()), "TRANSCODER_WORKER_NAME", "worker-a",
                "TRANSCODER_DATA_DIR", root.resolve("videos").toString(),
                "TRANSCODER_INBOX_DIR", root.resolve("inbox").toString()));
        env.putAll(more);
        return env;
    }

    /** As long as the test's subscription may wait for a message: its connection blocks that long. */
    private static final Duration SUBSCRIBED = Duration.ofMinutes(10);

    private static void listen(JedisPooled jedis, JobEventsSeen seen) {
        try {
            jedis.subscribe(seen, "transcoder:events");
        } catch (JedisConnectionException e) {
            // Redis stopped at the end of a failed test: what was seen is already asserted on
        }
    }

    /** Every status change published on the service's event channel, in order. */
    private static final class JobEventsSeen extends JedisPubSub {
        private final List<String> events;

        JobEventsSeen(List<String> events) {
            this.events = events;
        }

        @Override
        public void onMessage(String channel, String message) {
            events.add(message);
        }
    }
}
