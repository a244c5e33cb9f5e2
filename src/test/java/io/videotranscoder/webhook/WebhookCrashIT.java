package io.videotranscoder.webhook;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.videotranscoder.support.Http;
import io.videotranscoder.support.JarProcess;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.RedisServer;
import io.videotranscoder.support.TestApp;
import io.videotranscoder.support.WebhookReceiver;
import io.videotranscoder.support.WebhookReceiver.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The packaged jar killed with SIGKILL while it holds a delivery, then started again on the same Redis: the delivery
 * is made by the new process, with the same webhook-id and body. Redis is the test's own, so it outlives the jar.
 */
class WebhookCrashIT {

    @RegisterExtension
    static RedisServer redis = new RedisServer(4);

    static final String SECRET = Secrets.generate();

    @TempDir
    static Path root;
    static WebhookReceiver receiver;
    static Path clip;
    static int port;

    @BeforeAll
    static void prepare() throws Exception {
        receiver = new WebhookReceiver();
        clip = Media.clip(root, "clip.mp4", 1, "320x240");
        port = TestApp.freePort();
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    private static JarProcess start() throws Exception {
        return JarProcess.start(root.resolve("app"), root.resolve("app.log"), port, Map.of("REDIS_URL", redis.url(),
                "TRANSCODER_WORKER_NAME", "crash-test", "TRANSCODER_WEBHOOK_SECRET", SECRET,
                "TRANSCODER_WEBHOOK_ALLOWLIST", "127.0.0.1", "TRANSCODER_WEBHOOK_SCHEDULE_MS", "200"));
    }

    private static void kill(JarProcess jar) throws Exception {
        jar.process().destroyForcibly(); // SIGKILL: nothing is flushed, no hook runs
        jar.process().waitFor();
    }

    private static String submit(Http http, Map<String, String> fields) throws Exception {
        Http.Answer answer = http.upload("/jobs", clip, "clip.mp4", fields);
        assertEquals(202, answer.status(), answer.body());
        return answer.json().path("id").asText();
    }

    private static List<Request> attemptsOf(String path, String type) {
        return receiver.requests(path).stream().filter(r -> r.type().equals(type)).toList();
    }

    @Test
    void a_delivery_waiting_for_its_retry_when_the_process_is_killed_is_made_after_the_restart() throws Exception {
        receiver.on("/between", WebhookReceiver.failingFirst(500));
        String webhookId;
        try (JarProcess jar = start()) {
            submit(jar.http(), Map.of("callbackUrl", receiver.url("/between")));
            await().atMost(Duration.ofSeconds(90)).until(() -> attemptsOf("/between", "job.succeeded").size() == 1);
            webhookId = attemptsOf("/between", "job.succeeded").get(0).webhookId();
            String delivery = webhookId.substring("msg_".length()) + ".callback";
            // Failed once, waiting in the schedule for its retry (5 s): no process holds it now but Redis.
            await().atMost(Duration.ofSeconds(10)).until(() -> redis.client()
                    .zscore("transcoder:webhook:scheduled", delivery) != null);
            kill(jar);
        }
        try (JarProcess restarted = start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> attemptsOf("/between", "job.succeeded").size() == 2);
            List<Request> attempts = attemptsOf("/between", "job.succeeded");
            assertEquals(webhookId, attempts.get(1).webhookId(), "the same webhook-id across the restart");
            assertEquals(attempts.get(0).body(), attempts.get(1).body());
            assertEquals(List.of(500, 200), attempts.stream().map(Request::answered).toList());
            for (Request attempt : attempts) {
                attempt.verify(SECRET);
            }
            kill(restarted);
        }
    }

    @Test
    void a_delivery_in_flight_when_the_process_is_killed_is_made_again_by_the_restarted_one() throws Exception {
        receiver.on("/held", n -> n == 1 ? null : WebhookReceiver.Answer.of(200));
        String webhookId;
        try (JarProcess jar = start()) {
            Http.Answer registered = jar.http().post("/admin/webhooks", "application/json",
                    "{\"url\":\"" + receiver.url("/held") + "\",\"events\":[\"job.succeeded\"]}");
            assertEquals(201, registered.status(), registered.body());
            String secret = registered.json().path("secret").asText();
            submit(jar.http(), Map.of());
            // The receiver holds the first attempt open: the process is killed in the middle of it.
            await().atMost(Duration.ofSeconds(90)).until(() -> receiver.requests("/held").size() == 1);
            webhookId = receiver.requests("/held").get(0).webhookId();
            kill(jar);
            receiver.release();
            try (JarProcess restarted = start()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> receiver.requests("/held").size() == 2);
                Request again = receiver.requests("/held").get(1);
                assertEquals(webhookId, again.webhookId());
                assertEquals(receiver.requests("/held").get(0).body(), again.body());
                assertEquals(200, again.answered());
                again.verify(secret);
                assertNotNull(restarted.http().get("/admin/webhooks").json().path("webhooks").get(0));
                kill(restarted);
            }
        }
    }
}
