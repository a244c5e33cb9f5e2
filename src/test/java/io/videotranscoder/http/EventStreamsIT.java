package io.videotranscoder.http;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.videotranscoder.access.ApiKey;
import io.videotranscoder.access.KeyStore;
import io.videotranscoder.access.Scope;
import io.videotranscoder.events.EventId;
import io.videotranscoder.events.EventTokens;
import io.videotranscoder.support.Frozen;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.LogCapture;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.SseClient;
import io.videotranscoder.support.SseClient.Event;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event streams of the whole service over real HTTP, while real jobs run on the real FFmpeg: what a client reads,
 * what a reconnecting client is replayed, keep-alives, the cap, the query token, and tenants. Every call has a key.
 */
class EventStreamsIT {

    static final String SECRET = "a-secret-of-the-test-that-signs-event-tokens";
    static final int MAX_STREAMS = 4;
    static final int MAX_STREAMS_PER_KEY = 3;

    @TempDir
    static Path root;
    static TestApp app;
    static Http http;
    static Path clip;
    static Path brief;
    static String acme;
    static String globex;
    static String admin;
    static String writeOnly;

    @BeforeAll
    static void start() throws Exception {
        // Eight seconds of 640x360 to HEVC: a second or more of encoding, several progress readings 100 ms apart.
        clip = Media.clip(root, "clip.mp4", 8, "640x360");
        // For the tests that only need jobs to end: a second of 320x240 encodes in a fraction of the time.
        brief = Media.clip(root, "brief.mp4", 1, "320x240");
        app = TestApp.start(root.resolve("data"), Map.of("transcoder.auth", "on", "transcoder.event-keepalive", "1s",
                "transcoder.max-event-streams", Integer.toString(MAX_STREAMS), "transcoder.event-token-secret", SECRET,
                "transcoder.cors-allowed-origins", "https://player.example", "transcoder.event-key-recheck", "500ms",
                "transcoder.watch-period", "100ms", // FFmpeg reports its progress as often
                "transcoder.max-event-streams-per-key", Integer.toString(MAX_STREAMS_PER_KEY)));
        http = app.http();
        KeyStore keys = app.context().getRegistry().lookupByNameAndType("keyStore", KeyStore.class);
        EnumSet<Scope> readWrite = EnumSet.of(Scope.JOBS_READ, Scope.JOBS_WRITE);
        acme = keys.issue("acme", readWrite, "acme", null, Instant.now()).key();
        globex = keys.issue("globex", readWrite, "globex", null, Instant.now()).key();
        admin = keys.issue("admin", EnumSet.of(Scope.ADMIN), "default", null, Instant.now()).key();
        writeOnly = keys.issue("uploader", EnumSet.of(Scope.JOBS_WRITE), "acme", null, Instant.now()).key();
        // The first answers a test JVM checks against the API's document take seconds (the validator compiles the
        // schemas as it meets them): checked here, not while a test times a job against its streams.
        String warmUp = submitBrief(acme);
        assertEquals("succeeded", http.get("/jobs/" + warmUp + "?wait=60", "X-API-Key", acme).json().path("status")
                .asText());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    /** Every test begins with no stream open, whatever the last one left. */
    @BeforeEach
    void noStreamOpen() {
        await().atMost(Duration.ofSeconds(10)).until(() -> openStreams() == 0);
    }

    private static double openStreams() throws Exception {
        return metric("transcoder_event_streams_open ");
    }

    /** The value of the series whose line starts with {@code series}. */
    private static double metric(String series) throws Exception {
        return app.management().get("/observe/metrics").body().lines().filter(l -> l.startsWith(series))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElse(Double.NaN);
    }

    private static double refused(String reason) throws Exception {
        return metric("transcoder_auth_failures_total{camelContext=\"video-transcoder\",reason=\"" + reason + "\"} ");
    }

    private static String token(String key) throws Exception {
        Http.Answer issued = http.post("/events/token", "application/json", "", "X-API-Key", key);
        assertEquals(200, issued.status(), issued.body());
        return issued.json().path("token").asText();
    }

    /** A stream asked with {@code key} ({@code X-API-Key}; null: none) and further headers. */
    private static SseClient openAs(String key, String path, String... headers) throws Exception {
        List<String> all = new ArrayList<>(List.of(headers));
        if (key != null) {
            all.addAll(List.of("X-API-Key", key));
        }
        return SseClient.open(http.base() + path, all.toArray(String[]::new));
    }

    private static SseClient open(String path, String... headers) throws Exception {
        return openAs(acme, path, headers);
    }

    /** Opened, and registered: the stream's first id (or event) has arrived. */
    private static SseClient openedAs(String key, String path, String... headers) throws Exception {
        SseClient client = openAs(key, path, headers);
        assertEquals(200, client.status(), client.body());
        await().atMost(Duration.ofSeconds(10)).until(() -> client.lastEventId() != null);
        return client;
    }

    private static SseClient opened(String path, String... headers) throws Exception {
        return openedAs(acme, path, headers);
    }

    /** A job that runs long enough for several progress readings. */
    private static String submit() throws Exception {
        return submit(acme, clip);
    }

    /** A job that ends soon. */
    private static String submitBrief(String key) throws Exception {
        return submit(key, brief);
    }

    private static String submit(String key, Path video) throws Exception {
        Http.Answer answer = http.upload("/jobs", video, "clip.mp4", Map.of("preset", "hevc-1080p"), "X-API-Key", key);
        assertEquals(202, answer.status(), answer.body());
        return answer.json().path("id").asText();
    }

    private static List<Event> of(SseClient client, String job) throws Exception {
        List<Event> mine = new ArrayList<>();
        for (Event event : client.events()) {
            if (job.equals(event.json().path("data").path("id").asText())) {
                mine.add(event);
            }
        }
        return mine;
    }

    private static boolean saw(SseClient client, String job, String type) throws Exception {
        return of(client, job).stream().anyMatch(e -> e.type().equals(type));
    }

    private static List<String> types(List<Event> events) {
        return events.stream().map(Event::type).toList();
    }

    /** Log entries' ids: progress readings between them (id {@code <entry>~n}) are not in the log. */
    private static List<String> loggedIds(List<Event> events) {
        return events.stream().map(Event::id).filter(id -> !id.contains("~")).toList();
    }

    private static final Comparator<EventId> ORDER = Comparator.comparing(EventId::position)
            .thenComparingInt(EventId::reading);

    private static void assertIncreasing(List<Event> events) {
        for (int i = 1; i < events.size(); i++) {
            EventId before = EventId.parse(events.get(i - 1).id()).orElseThrow();
            EventId after = EventId.parse(events.get(i).id()).orElseThrow();
            assertTrue(ORDER.compare(before, after) < 0, events.get(i - 1).id() + " then " + events.get(i).id());
        }
    }

    @Test
    void a_client_sees_a_running_job_queued_started_progressing_and_succeeded_in_order_each_with_an_id()
            throws Exception {
        try (SseClient all = opened("/events")) {
            String job = submit();
            try (SseClient one = open("/jobs/" + job + "/events")) {
                assertEquals(200, one.status());
                assertEquals("text/event-stream; charset=utf-8", one.header("Content-Type"));
                await().atMost(Duration.ofSeconds(120)).until(one::ended);
                await().atMost(Duration.ofSeconds(10)).until(() -> saw(all, job, "job.succeeded"));

                List<Event> seen = of(all, job);
                List<String> types = types(seen);
                assertEquals(List.of("job.queued", "job.started"), types.subList(0, 2), types.toString());
                assertEquals("job.succeeded", types.get(types.size() - 1), types.toString());
                List<String> between = types.subList(2, types.size() - 1);
                assertTrue(between.size() >= 2 && between.stream().allMatch("job.progress"::equals), types.toString());
                assertIncreasing(seen);
                assertTrue(seen.stream().anyMatch(e -> e.id().contains("~")), "readings between the log's entries");
                JsonNode progress = seen.get(2).json();
                assertEquals("running", progress.path("data").path("status").asText());
                assertTrue(progress.path("data").path("progress").asInt() >= 0);
                assertEquals("output.mp4", seen.get(seen.size() - 1).json().path("data").path("outputs").get(0)
                        .path("name").asText());

                List<Event> own = one.events();
                assertEquals("job.state", own.get(0).type(), "a job's stream begins with the whole job");
                assertEquals(job, own.get(0).json().path("data").path("id").asText());
                assertEquals("job.succeeded", own.get(own.size() - 1).type(), "and ends with its end");
                assertIncreasing(own);
            }
        }
    }

    @Test
    void a_client_that_reconnects_with_its_last_event_id_misses_no_event_and_repeats_none() throws Exception {
        try (SseClient all = opened("/events")) {
            String job = submit();
            // The job's FFmpeg held (SIGSTOP) from its start until the first client's stream has begun: on a loaded
            // machine the whole encode could otherwise end before that client is connected.
            List<ProcessHandle> encode = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Frozen.encodes(ProcessHandle.current(), job, ""), list -> !list.isEmpty());
            List<Event> before;
            String last;
            try (SseClient first = open("/jobs/" + job + "/events")) {
                await().atMost(Duration.ofSeconds(10)).until(() -> !first.events().isEmpty());
                Frozen.signal("CONT", encode);
                // Away after a progress reading, which is between two of the log's entries.
                await().atMost(Duration.ofSeconds(60)).until(() -> first.events().stream()
                        .anyMatch(e -> e.id().contains("~")));
                first.close();
                before = first.events();
                last = first.lastEventId();
            }
            await().atMost(Duration.ofSeconds(120)).until(() -> saw(all, job, "job.succeeded"));

            try (SseClient again = open("/jobs/" + job + "/events", "Last-Event-ID", last)) {
                await().atMost(Duration.ofSeconds(10)).until(again::ended);
                List<Event> after = again.events();
                EventId resumed = EventId.parse(last).orElseThrow();
                List<String> missed = loggedIds(of(all, job)).stream().filter(id -> EventId.parse(id).orElseThrow()
                        .position().compareTo(resumed.position()) > 0).toList();
                assertFalse(missed.isEmpty(), "the job changed while the client was away");
                assertEquals(missed, loggedIds(after), "every entry after the last id, and only those");
                assertEquals("job.succeeded", after.get(after.size() - 1).type());
                HashSet<String> ids = new HashSet<>(before.stream().map(Event::id).toList());
                assertTrue(after.stream().noneMatch(e -> ids.contains(e.id())), "nothing seen is sent again");
                List<Event> both = new ArrayList<>(before);
                both.addAll(after);
                assertIncreasing(both);
            }
            // The client has seen the end: told not to reconnect.
            String end = of(all, job).get(of(all, job).size() - 1).id();
            assertEquals(204, open("/jobs/" + job + "/events", "Last-Event-ID", end).status());
        }
    }

    @Test
    void a_quiet_stream_sends_keep_alive_comments_carrying_where_it_stands() throws Exception {
        try (SseClient quiet = opened("/events")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> quiet.comments().size() >= 2);

            assertEquals(List.of("keep-alive", "keep-alive"), quiet.comments().subList(0, 2));
            assertTrue(quiet.events().isEmpty());
            assertTrue(EventId.parse(quiet.lastEventId()).isPresent(), quiet.lastEventId());
        }
    }

    @Test
    void past_the_most_streams_of_a_key_a_429_past_the_servers_a_503_then_room_again_once_one_closes()
            throws Exception {
        List<SseClient> streams = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_STREAMS_PER_KEY; i++) {
                streams.add(opened("/events"));
            }
            SseClient keyFull = open("/events");
            assertEquals(429, keyFull.status(), "one key takes no more than its share");
            assertEquals("5", keyFull.header("Retry-After"));
            assertTrue(keyFull.body().contains("TRANSCODER_MAX_EVENT_STREAMS_PER_KEY"), keyFull.body());
            for (int i = MAX_STREAMS_PER_KEY; i < MAX_STREAMS; i++) {
                streams.add(openedAs(globex, "/events")); // another key still has room
            }
            SseClient refused = openAs(globex, "/events");

            assertEquals(503, refused.status());
            assertEquals("application/problem+json", refused.header("Content-Type"));
            assertEquals("5", refused.header("Retry-After"));
            assertTrue(refused.body().contains("TRANSCODER_MAX_EVENT_STREAMS"), refused.body());
            assertEquals(MAX_STREAMS, openStreams());

            streams.remove(streams.size() - 1).close();
            await().atMost(Duration.ofSeconds(10)).until(() -> openStreams() == MAX_STREAMS - 1);
            streams.add(openedAs(globex, "/events"));
        } finally {
            for (SseClient stream : streams) {
                stream.close();
            }
        }
    }

    @Test
    void a_query_token_opens_a_stream_and_an_expired_or_tampered_one_is_a_401() throws Exception {
        Http.Answer issued = http.post("/events/token", "application/json", "", "X-API-Key", acme);
        assertEquals(200, issued.status(), issued.body());
        String token = issued.json().path("token").asText();
        assertNotNull(issued.json().path("expiresAt").asText());

        try (SseClient valid = openedAs(null, "/events?token=" + token)) {
            assertEquals(200, valid.status());
        }
        assertEquals(401, http.get("/jobs?token=" + token).status(), "a token opens event streams, nothing else");
        assertEquals(403, http.post("/events/token", "application/json", "", "X-API-Key", writeOnly).status(),
                "a token is for reading: a key that may not read gets none");
        char flipped = token.charAt(token.length() - 2) == 'A' ? 'B' : 'A';
        String tampered = token.substring(0, token.length() - 2) + flipped + token.charAt(token.length() - 1);
        EventTokens past = new EventTokens(() -> SECRET.getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(-1),
                Clock.systemUTC());
        String expired = past.issue(null, "default", "jobs:read", null).token();
        double invalid = refused("token_invalid");
        double timedOut = refused("token_expired");
        try (LogCapture log = new LogCapture()) {
            for (String bad : List.of(tampered, expired, "not-a-token")) {
                SseClient refused = openAs(null, "/events?token=" + bad);
                assertEquals(401, refused.status(), bad);
                assertEquals("application/problem+json", refused.header("Content-Type"));
                assertEquals("Bearer", refused.header("WWW-Authenticate"));
                assertFalse(refused.body().contains(bad), "a token is never echoed: " + refused.body());
            }
            assertTrue(openAs(null, "/events?token=" + expired).body().contains("expired"));
            assertFalse(log.text().contains(tampered.substring(0, tampered.indexOf('.'))), "a token in the log");
        }
        assertEquals(invalid + 2, refused("token_invalid"), "the tampered token and the garbage, counted");
        assertEquals(timedOut + 2, refused("token_expired"), "the expired token, counted each time");
        String metrics = app.management().get("/observe/metrics").body();
        assertFalse(metrics.contains(token.substring(0, token.indexOf('.'))), "a token in the metrics");
    }

    @Test
    void a_revoked_keys_token_opens_nothing_and_its_open_streams_end() throws Exception {
        KeyStore keys = app.context().getRegistry().lookupByNameAndType("keyStore", KeyStore.class);
        String key = keys.issue("short-lived", EnumSet.of(Scope.JOBS_READ), "acme", null, Instant.now()).key();
        String token = token(key);
        String id = ApiKey.id(ApiKey.digest(key));
        double revokedBefore = refused("revoked");
        try (SseClient byToken = openedAs(null, "/events?token=" + token);
             SseClient byKey = openedAs(key, "/events")) {
            assertEquals(204, http.send(HttpRequest.newBuilder(URI.create(http.base() + "/admin/keys/" + id)).DELETE()
                    .header("X-API-Key", admin).build()).status());

            await().atMost(Duration.ofSeconds(10)).until(() -> byToken.ended() && byKey.ended());
        }
        SseClient again = openAs(null, "/events?token=" + token);
        assertEquals(401, again.status(), "a token lives no longer than its key, whatever its own time");
        assertTrue(again.body().contains("this token was issued to was revoked"), again.body());
        assertEquals(revokedBefore + 1, refused("revoked"));
    }

    @Test
    void an_expired_keys_token_opens_nothing_and_its_open_stream_ends() throws Exception {
        KeyStore keys = app.context().getRegistry().lookupByNameAndType("keyStore", KeyStore.class);
        String key = keys.issue("soon-gone", EnumSet.of(Scope.JOBS_READ), "acme", Instant.now().plusSeconds(3600),
                Instant.now()).key();
        String token = token(key);
        try (SseClient byToken = openedAs(null, "/events?token=" + token)) {
            // The key's time comes (as if an hour had passed): its record says it has expired.
            JedisPooled redis = app.context().getRegistry().lookupByNameAndType("redis", JedisPooled.class);
            redis.hset("transcoder:apikey:" + ApiKey.id(ApiKey.digest(key)), "expiresAt",
                    Instant.now().minusSeconds(1).toString());

            await().atMost(Duration.ofSeconds(10)).until(byToken::ended);
        }
        SseClient again = openAs(null, "/events?token=" + token);
        assertEquals(401, again.status());
        assertTrue(again.body().contains("has expired"), again.body());
    }

    @Test
    void an_id_older_than_the_log_keeps_gets_the_whole_job_or_a_reset() throws Exception {
        String job = submitBrief(acme);
        assertEquals("succeeded", http.get("/jobs/" + job + "?wait=60", "X-API-Key", acme).json().path("status")
                .asText());
        // The position of a client gone for longer than the log keeps (TRANSCODER_EVENT_REPLAY_MINUTES, 60): the
        // entries after it may have been trimmed since, whatever the log holds now.
        String old = (System.currentTimeMillis() - Duration.ofMinutes(61).toMillis()) + "-0";

        try (SseClient one = open("/jobs/" + job + "/events", "Last-Event-ID", old)) {
            await().atMost(Duration.ofSeconds(10)).until(one::ended);
            assertEquals(List.of("job.state"), types(one.events()), "the whole job, which has ended: nothing follows");
            assertEquals("succeeded", one.events().get(0).json().path("data").path("status").asText());
        }
        try (SseClient all = open("/events", "Last-Event-ID", old)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !all.events().isEmpty());
            assertEquals("reset", all.events().get(0).type());
            assertTrue(all.events().get(0).json().path("data").path("reason").asText().contains("GET /jobs"));
        }
    }

    @Test
    void a_browser_may_send_last_event_id_from_another_origin() throws Exception {
        HttpRequest preflight = HttpRequest.newBuilder(URI.create(http.base() + "/events"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://player.example")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "last-event-id").build();

        Http.Answer answer = http.send(preflight);

        assertEquals(204, answer.status());
        assertTrue(answer.header("Access-Control-Allow-Headers").toLowerCase().contains("last-event-id"));
    }

    @Test
    void a_tenant_sees_its_own_jobs_events_only_and_another_tenants_job_is_no_job_at_all() throws Exception {
        String acmeJob;
        try (SseClient mine = openedAs(acme, "/events");
             SseClient theirs = openedAs(globex, "/events");
             SseClient all = openedAs(admin, "/events");
             SseClient byToken = openedAs(null, "/events?token=" + http.post("/events/token", "application/json", "",
                     "X-API-Key", globex).json().path("token").asText())) {
            String job = submitBrief(acme);
            String other = submitBrief(globex);
            await().atMost(Duration.ofSeconds(120)).until(() -> saw(mine, job, "job.succeeded")
                                                               && saw(all, other, "job.succeeded"));

            assertTrue(of(mine, other).isEmpty() && !of(mine, job).isEmpty(), "acme's stream: acme's job only");
            assertTrue(of(theirs, job).isEmpty() && saw(theirs, other, "job.queued"), "globex's: globex's only");
            assertTrue(of(byToken, job).isEmpty() && saw(byToken, other, "job.queued"), "a token is its tenant's");
            assertTrue(saw(all, job, "job.succeeded"), "an admin sees every tenant");
            acmeJob = job;

            // Another tenant's job alone moves the log now: acme's stream, quiet, stands where nothing tells when.
            String later = submitBrief(globex);
            await().atMost(Duration.ofSeconds(60)).until(() -> saw(all, later, "job.succeeded"));
            int shown = mine.ids().size();
            await().atMost(Duration.ofSeconds(10)).until(() -> mine.ids().size() >= shown + 3); // keep-alives
            Set<String> globexIds = new HashSet<>();
            of(all, other).forEach(e -> globexIds.add(e.id()));
            of(all, later).forEach(e -> globexIds.add(e.id()));
            assertTrue(mine.ids().stream().noneMatch(globexIds::contains), mine.ids() + " shows " + globexIds);
            assertTrue(mine.ids().stream().allMatch(id -> EventId.parse(id).isPresent()), mine.ids().toString());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> openStreams() == 0); // the cap counts every stream asked
        SseClient foreign = openAs(globex, "/jobs/" + acmeJob + "/events");
        SseClient none = openAs(globex, "/jobs/00000000-0000-4000-8000-000000000000/events");
        assertEquals(404, foreign.status());
        assertEquals(none.body().replace("00000000-0000-4000-8000-000000000000", acmeJob), foreign.body(),
                "answered exactly as a job that does not exist");
    }

    @Test
    void a_stream_needs_a_key_or_a_token() throws Exception {
        SseClient none = openAs(null, "/events");

        assertEquals(401, none.status());
        assertEquals("application/problem+json", none.header("Content-Type"));
    }

    @Test
    void an_unknown_job_has_no_stream() throws Exception {
        SseClient none = open("/jobs/00000000-0000-4000-8000-000000000000/events");

        assertEquals(404, none.status());
        assertEquals("application/problem+json", none.header("Content-Type"));
    }
}
