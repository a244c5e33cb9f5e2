package io.videotranscoder.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobIds;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.preset.PresetCatalog;
import io.videotranscoder.redis.EmbeddedRedis;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.StreamConsumerInfo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retention, crash leftovers and queued jobs without an entry, with the housekeeping running every second. */
class HousekeepingIT {

    private static final String QUEUE = "transcoder:jobs";

    @TempDir
    Path root;

    /**
     * Older index entries it cannot remove (here 600 whose records are gone: a batch's worth and more) neither hold it
     * up nor stay. The retention is counted from the job's submission: long enough for its encode beside other tests
     * (at 3 s, one that took longer was removed as it ended, before its wait could answer).
     */
    @Test
    void a_finished_job_past_its_retention_is_forgotten_with_its_files() throws Exception {
        Path clip = Media.clip(root, "clip.mp4", 1, "640x360");
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of("transcoder.housekeeping-period", "1s",
                "transcoder.retention", "8s"))) {
            Http http = app.http();
            JedisPooled redis = app.context().getRegistry().lookupByNameAndType("redis", JedisPooled.class);
            Map<String, Double> orphans = new HashMap<>();
            for (int i = 0; i < 600; i++) {
                orphans.put(UUID.randomUUID().toString(), (double) i);
            }
            redis.zadd("transcoder:index:all", orphans);
            String id = http.upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText();
            assertEquals("succeeded", http.get("/jobs/" + id + "?wait=30").json().path("status").asText());

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> http.get("/jobs/" + id).status() == 404);
            assertTrue(Files.notExists(app.dataDir().resolve(id)));
            assertTrue(http.get("/jobs").json().path("jobs").isEmpty(), "gone from the listing too");
            assertEquals(0, redis.zcard("transcoder:index:all"), "and the entries with no record are dropped");
        }
    }

    @Test
    void a_failed_job_goes_after_its_shorter_retention_and_a_succeeded_one_stays() throws Exception {
        Path clip = Media.clip(root, "clip.mp4", 1, "640x360");
        Path notVideo = Files.write(root.resolve("noise.mp4"), new byte[] {0, 1, 2, 3, (byte) 0xff, 0, 7, 9});
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of("transcoder.housekeeping-period", "1s",
                "transcoder.failed-retention", "3s"))) {
            Http http = app.http();
            String failed = http.upload("/jobs", notVideo, "noise.mp4", Map.of()).json().path("id").asText();
            String succeeded = http.upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText();
            assertEquals("succeeded", http.get("/jobs/" + succeeded + "?wait=30").json().path("status").asText());

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> http.get("/jobs/" + failed).status() == 404);
            assertTrue(Files.notExists(app.dataDir().resolve(failed)), "the failed upload's bytes are freed");
            assertEquals(200, http.get("/jobs/" + succeeded).status(), "a succeeded job keeps the full retention");
            assertTrue(Files.exists(app.dataDir().resolve(succeeded)));
        }
    }

    /**
     * What a process that died between a job's change and its queueing leaves (a retry is queued after its move): a
     * queued job with no entry. The API alone holds it first, so that no worker takes its entry before it goes.
     */
    @Test
    void a_job_stored_but_never_queued_is_queued_and_an_abandoned_upload_removed() throws Exception {
        Path clip = Media.clip(root, "clip.mp4", 1, "640x360");
        try (TestApp api = TestApp.start(root.resolve("data"), Map.of("transcoder.housekeeping-period", "1s",
                "transcoder.role", "api"))) {
            String id = JobIds.next();
            Path dir = Files.createDirectories(api.dataDir().resolve(id));
            Files.copy(clip, dir.resolve("input.mp4"));
            JobStore store = api.context().getRegistry().lookupByNameAndType("jobStore", JobStore.class);
            PresetCatalog presets = api.context().getRegistry().lookupByNameAndType("presets", PresetCatalog.class);
            JedisPooled redis = api.context().getRegistry().lookupByNameAndType("redis", JedisPooled.class);
            store.create(Job.queued(id, "api", "default", "orphan.mp4", presets.find("h264-720p").orElseThrow(),
                    "input.mp4", Files.size(clip), Instant.now().minus(Duration.ofMinutes(2))));
            redis.xrange(QUEUE, "-", "+").forEach(entry -> redis.xdel(QUEUE, entry.getID()));
            Path upload = Files.writeString(Files.createDirectories(api.dataDir().resolve(".uploads"))
                    .resolve("abandoned"), "half an upload");
            Files.setLastModifiedTime(upload, FileTime.from(Instant.now().minus(Duration.ofDays(2))));

            await().atMost(Duration.ofSeconds(30)).until(() -> redis.xrange(QUEUE, "-", "+").stream()
                    .anyMatch(entry -> id.equals(entry.getFields().get("job"))));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.notExists(upload));
            // Both queues are counted before any worker ran: the parts' group is made too (its gauges were NaN).
            String metrics = api.management().get("/observe/metrics").body();
            assertTrue(metrics.contains("\ntranscoder_parts_queue_depth 0.0\n"), metrics);
            try (TestApp worker = TestApp.start(api.dataDir(), Map.of("transcoder.role", "worker",
                    "transcoder.redis-url", api.context().hasService(EmbeddedRedis.class).url()))) {
                assertEquals("succeeded", api.http().get("/jobs/" + id + "?wait=30").json().path("status").asText());
            }
        }
    }

    @Test
    void group_members_gone_for_many_leases_are_removed_and_the_live_worker_kept() throws Exception {
        Path clip = Media.clip(root, "clip.mp4", 1, "640x360");
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of("transcoder.housekeeping-period", "1s",
                "transcoder.lease", "500ms", "transcoder.worker-name", "live-worker"))) {
            Http http = app.http();
            String id = http.upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText();
            assertEquals("succeeded", http.get("/jobs/" + id + "?wait=30").json().path("status").asText());
            // What a worker that restarted under a new name (a new container) leaves in each group.
            JedisPooled redis = app.context().getRegistry().lookupByNameAndType("redis", JedisPooled.class);
            redis.xgroupCreateConsumer("transcoder:jobs", "workers", "old-container");
            redis.xgroupCreateConsumer("transcoder:parts", "workers", "old-container");
            // And what an API pod a rollout replaced leaves in the groups of the events and of the webhooks' sends.
            redis.xgroupCreateConsumer("transcoder:job-events", "webhooks", "old-container");
            redis.xgroupCreateConsumer("transcoder:job-events", "inbox", "old-container");
            redis.xgroupCreateConsumer("transcoder:webhook:sends", "senders", "old-container");
            // A part of a job gone since: the worker drops it, and its acknowledged entry is trimmed.
            redis.xadd("transcoder:parts", XAddParams.xAddParams(), Map.of("job", UUID.randomUUID().toString(),
                    "part", "segment", "index", "0", "from", "0", "to", "", "seconds", "1", "split", "gone"));

            // Ten leases: five seconds. The live worker, idle all along, stays past ten leases more.
            List<String> live = List.of("live-worker");
            // One housekeeping run goes through the groups one after another: each is awaited, not read mid-run.
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
                    .until(() -> members(redis, "jobs").equals(live) && members(redis, "parts").equals(live)
                                 && otherGroups(redis).stream().noneMatch(group -> group.contains("old-container")));
            for (List<String> group : otherGroups(redis)) {
                assertFalse(group.contains("old-container"), group.toString());
                assertTrue(group.stream().allMatch(name -> name.startsWith("live-worker")), group.toString());
            }
            await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(9))
                    .until(() -> members(redis, "jobs").equals(live) && members(redis, "parts").equals(live));
            assertEquals(0, redis.xlen("transcoder:parts"));
            String second = http.upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText();
            assertEquals("succeeded", http.get("/jobs/" + second + "?wait=30").json().path("status").asText());
        }
    }

    /** The members of the groups of the job events (webhooks, inbox) and of the webhooks' sends. */
    private static List<List<String>> otherGroups(JedisPooled redis) {
        return List.of(members(redis, "job-events", "webhooks"), members(redis, "job-events", "inbox"),
                members(redis, "webhook:sends", "senders"));
    }

    private static List<String> members(JedisPooled redis, String stream) {
        return members(redis, stream, "workers");
    }

    private static List<String> members(JedisPooled redis, String stream, String group) {
        return redis.xinfoConsumers2("transcoder:" + stream, group).stream().map(StreamConsumerInfo::getName).sorted()
                .toList();
    }
}
