package io.videotranscoder.http.tus;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.videotranscoder.job.JobIds;
import io.videotranscoder.queue.GroupMembers;
import io.videotranscoder.storage.DiskSpace;
import io.videotranscoder.support.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PATCH handler's protocol rules on a bare Vert.x router, with a real Redis for the uploads' state and no service
 * around it: each refusal has its status and leaves the upload as it was; accepted bytes land at the offset.
 */
class TusPatchTest {

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer(4);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path root;
    static Vertx vertx;
    static TusStore store;
    static TusFiles files;
    static String base;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        store = new TusStore(REDIS.client(), "test:", "this-pod");
        files = new TusFiles(root, store, Duration.ofHours(1));
        TusPatch patch = patch(new TusLocks(store));
        // Locks that live 1.5 s, renewed every half second: a test sees a renewal without waiting for the real one.
        TusPatch shortLocked = patch(new TusLocks(store, 1500));
        User caller = User.create(new JsonObject().put("sub", "").put("tenant", "acme")
                .put("scopes", new JsonArray().add("jobs:write")));
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            ctx.setUser(caller); // as the access check leaves it
            ctx.next();
        });
        router.patch("/uploads/:id").handler(patch::handle);
        TusHead head = patch.head();
        router.head("/uploads/:id").handler(ctx -> TusHandlers.blocking(ctx, () -> TusPatch.find(store,
                ctx.pathParam("id"), TusHandlers.caller(ctx)), upload -> head.handle(ctx, upload)));
        router.patch("/short-locks/uploads/:id").handler(shortLocked::handle);
        // Room for a MiB of uploads in all, counted in the data root.
        TusPatch smallDisk = patch(new TusLocks(store), new DiskSpace(root, 0, 1 << 20));
        router.patch("/small-disk/uploads/:id").handler(smallDisk::handle);
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage()
                .toCompletableFuture().get();
        port = server.actualPort();
        base = "http://127.0.0.1:" + port;
    }

    private static TusPatch patch(TusLocks locks) {
        return patch(locks, new DiskSpace(root, 0));
    }

    private static TusPatch patch(TusLocks locks, DiskSpace disk) {
        return new TusPatch(store, files, disk, Duration.ofHours(1), Duration.ofDays(7), Clock.systemUTC(),
                new TusFinish(null, store, files, null, null), locks, new TusHolders(store, files, "this-pod",
                        new GroupMembers(REDIS.client(), "test:job-events", "webhooks"), 60_000));
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    static String upload(String tenant, long length) throws Exception {
        String id = JobIds.next();
        Instant now = Instant.now();
        store.create(new TusUpload(id, length, 0, Map.of(), tenant, null, now, now.plusSeconds(3600), null));
        files.create(id);
        return id;
    }

    static HttpResponse<String> patch(String id, Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/uploads/" + id))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> patch(String id, long offset, byte[] body) throws Exception {
        return patch(id, Map.of("Tus-Resumable", "1.0.0", "Upload-Offset", Long.toString(offset),
                "Content-Type", "application/offset+octet-stream"), body);
    }

    /**
     * The first bytes of an upload kept on another instance's disk (none shared): while that instance lives, a 409 (the
     * request reached the wrong one); once it is gone, a 410 and the upload removed, so that the client starts over
     * rather than asking and failing again until the upload expires. A HEAD tells as the PATCH does.
     */
    @Test
    void bytes_kept_by_a_gone_instance_are_a_410_and_the_upload_is_removed() throws Exception {
        String live = keptBy("live-pod");
        String gone = keptBy("gone-pod");
        String goneToo = keptBy("gone-pod");
        REDIS.client().hset("test:job-events:members:webhooks", "live-pod",
                Long.toString(Long.parseLong((String) REDIS.client().eval("return redis.call('TIME')[1]")) * 1000));

        HttpResponse<String> misrouted = patch(live, 300, new byte[10]);
        HttpResponse<String> lost = patch(gone, 300, new byte[10]);
        HttpResponse<String> asked = head(goneToo);

        assertEquals(409, misrouted.statusCode(), misrouted.body());
        assertEquals(300, offset(live), "kept for the instance that has its bytes");
        assertEquals(200, head(live).statusCode());
        assertEquals(410, lost.statusCode(), lost.body());
        assertTrue(lost.body().contains("kept by the API instance gone-pod, which is gone with them"), lost.body());
        assertTrue(store.find(gone).isEmpty(), "removed: asked again, it is unknown, and a client uploads anew");
        assertEquals(410, asked.statusCode());
        assertTrue(store.find(goneToo).isEmpty());
    }

    /**
     * Created on another instance, its first bytes sent to this one (no sticky session for the first PATCH): this
     * instance keeps them, and is recorded so, so that its going (not the creator's) is what makes them gone.
     */
    @Test
    void the_instance_the_first_bytes_reach_keeps_the_upload() throws Exception {
        String id = JobIds.next();
        Instant now = Instant.now();
        new TusStore(REDIS.client(), "test:", "creator-pod").create(new TusUpload(id, 1000, 0, Map.of(), "acme", null,
                now, now.plusSeconds(3600), null));

        assertEquals(204, patch(id, 0, new byte[100]).statusCode());

        assertEquals("this-pod", store.holder(id).orElseThrow());
    }

    /** An upload of 1000 bytes whose first 300 {@code holder}'s disk keeps, not this one's. */
    private static String keptBy(String holder) {
        String id = JobIds.next();
        Instant now = Instant.now();
        new TusStore(REDIS.client(), "test:", holder).create(new TusUpload(id, 1000, 0, Map.of(), "acme", null, now,
                now.plusSeconds(3600), null));
        assertTrue(store.lock(id, "the-holder", 10_000));
        assertTrue(store.advance(id, "the-holder", 0, 300, now.plusSeconds(3600)));
        store.unlock(id, "the-holder");
        return id;
    }

    static HttpResponse<String> head(String id) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/uploads/" + id)).method("HEAD",
                HttpRequest.BodyPublishers.noBody()).header("Tus-Resumable", "1.0.0").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static long offset(String id) {
        return store.find(id).orElseThrow().offset();
    }

    @Test
    void bytes_are_appended_at_the_offset_and_the_offset_answered() throws Exception {
        String id = upload("acme", 1000);
        byte[] first = new byte[300];
        Arrays.fill(first, (byte) 1);
        byte[] second = new byte[200];
        Arrays.fill(second, (byte) 2);
        assertEquals("300", patch(id, 0, first).headers().firstValue("Upload-Offset").orElseThrow());
        HttpResponse<String> more = patch(id, 300, second);
        assertEquals(204, more.statusCode());
        assertEquals("500", more.headers().firstValue("Upload-Offset").orElseThrow());
        assertEquals("1.0.0", more.headers().firstValue("Tus-Resumable").orElseThrow());
        byte[] both = Files.readAllBytes(files.file(id));
        assertArrayEquals(first, Arrays.copyOfRange(both, 0, 300));
        assertArrayEquals(second, Arrays.copyOfRange(both, 300, 500));
    }

    /**
     * A disk that fails the writes (full: /dev/full answers every write so): the bytes were counted as written
     * whatever the writes answered, and the offset moved past bytes the file never had.
     */
    @Test
    void bytes_the_disk_did_not_take_are_not_counted_and_the_patch_is_answered_507() throws Exception {
        Assumptions.assumeTrue(Files.isWritable(Path.of("/dev/full")), "no /dev/full here");
        String id = upload("acme", 100_000);
        Files.delete(files.file(id));
        Files.createSymbolicLink(files.file(id), Path.of("/dev/full"));

        HttpResponse<String> full = patch(id, 0, new byte[50_000]);

        assertEquals(507, full.statusCode(), full.body());
        assertTrue(full.body().contains("No space left on device"), full.body());
        assertEquals(0, offset(id));
    }

    /**
     * A body of unknown length (chunked) may bring all the upload lacks: it held no room, so the PATCHes of large
     * uploads filled the disk past its floor, where one with a Content-Length is refused 507 unread.
     */
    @Test
    void a_chunked_patch_holds_room_for_all_the_upload_lacks() throws Exception {
        String id = upload("acme", 10L << 20);
        HttpRequest.Builder chunked = HttpRequest.newBuilder(URI.create(base + "/small-disk/uploads/" + id))
                .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(new byte[1000])))
                .header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0")
                .header("Content-Type", "application/offset+octet-stream");

        HttpResponse<String> refused = CLIENT.send(chunked.build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(507, refused.statusCode(), refused.body());
        assertEquals(0, offset(id));
        HttpResponse<String> small = patch(id, Map.of("Tus-Resumable", "1.0.0", "Upload-Offset", "0",
                "Content-Type", "application/offset+octet-stream"), new byte[1000]);
        assertEquals(204, small.statusCode(), "a body of 1000 bytes fits: " + small.body());
    }

    /** tus-js-client sends its next PATCH as soon as it has the answer: the lock must be free by then. */
    @Test
    void the_next_patch_sent_on_the_answer_finds_the_upload_unlocked() throws Exception {
        String id = upload("acme", 4000); // not complete at the end: this router has no job submission
        for (int offset = 0; offset < 2000; offset += 20) {
            HttpResponse<String> answer = patch(id, offset, new byte[20]);
            assertEquals(204, answer.statusCode(), "at " + offset + ": " + answer.body());
        }
        assertEquals(2000, offset(id));
    }

    /**
     * Uploads made jobs copy their files into the object store on the finishes' few threads, for minutes: a PATCH that
     * only advances its upload is answered all the same, not queued behind them until its connection's idle timeout.
     */
    @Test
    void a_patch_that_completes_nothing_is_answered_while_every_finish_is_busy() throws Exception {
        String id = upload("acme", 4000);
        WorkerExecutor finishes = vertx.createSharedWorkerExecutor(TusLocks.FINISHES, TusLocks.FINISHES_AT_ONCE);
        CountDownLatch copying = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(TusLocks.FINISHES_AT_ONCE);
        for (int i = 0; i < TusLocks.FINISHES_AT_ONCE; i++) {
            finishes.executeBlocking(() -> {
                busy.countDown();
                return copying.await(30, TimeUnit.SECONDS);
            }, false);
        }
        try {
            assertTrue(busy.await(10, TimeUnit.SECONDS));
            CompletableFuture<HttpResponse<String>> answer = CLIENT.sendAsync(HttpRequest.newBuilder(
                    URI.create(base + "/uploads/" + id)).method("PATCH", HttpRequest.BodyPublishers.ofByteArray(
                    new byte[100])).header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0")
                    .header("Content-Type", "application/offset+octet-stream").build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(204, answer.get(10, TimeUnit.SECONDS).statusCode());
            assertEquals(100, offset(id));
        } finally {
            copying.countDown();
        }
    }

    @Test
    void a_patch_at_another_offset_is_a_conflict() throws Exception {
        String id = upload("acme", 1000);
        patch(id, 0, new byte[100]);
        HttpResponse<String> conflict = patch(id, 40, new byte[10]);
        assertEquals(409, conflict.statusCode());
        assertEquals("application/problem+json", conflict.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(100, offset(id));
        assertEquals(100, Files.size(files.file(id)));
    }

    @Test
    void a_body_of_another_type_is_unsupported() throws Exception {
        String id = upload("acme", 1000);
        HttpResponse<String> refused = patch(id, Map.of("Tus-Resumable", "1.0.0", "Upload-Offset", "0",
                "Content-Type", "application/octet-stream"), new byte[10]);
        assertEquals(415, refused.statusCode());
        assertEquals(0, offset(id));
    }

    /** An upload older than its maximum age (seven days here) takes no more bytes, however recently its last came. */
    @Test
    void an_upload_past_its_maximum_age_takes_no_more_bytes() throws Exception {
        String id = JobIds.next();
        Instant now = Instant.now();
        store.create(new TusUpload(id, 1000, 0, Map.of(), "acme", null, now.minus(Duration.ofDays(8)),
                now.plusSeconds(3600), null));
        files.create(id);

        HttpResponse<String> refused = patch(id, 0, new byte[10]);

        assertEquals(410, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("TRANSCODER_UPLOAD_MAX_AGE_HOURS"), refused.body());
        assertEquals(0, offset(id));
    }

    @Test
    void more_bytes_than_the_upload_lacks_are_too_large() throws Exception {
        String id = upload("acme", 100);
        assertEquals(413, patch(id, 0, new byte[101]).statusCode());
        assertEquals(0, offset(id));
        assertEquals(0, Files.size(files.file(id)));
    }

    @Test
    void an_unknown_upload_or_another_tenants_is_not_found() throws Exception {
        assertEquals(404, patch(UUID.randomUUID().toString(), 0, new byte[1]).statusCode());
        assertEquals(404, patch("..%2F..%2Fetc", 0, new byte[1]).statusCode());
        String theirs = upload("globex", 100);
        assertEquals(404, patch(theirs, 0, new byte[10]).statusCode());
        assertEquals(0, offset(theirs));
    }

    @Test
    void another_protocol_version_is_refused_with_the_one_spoken() throws Exception {
        String id = upload("acme", 100);
        HttpResponse<String> refused = patch(id, Map.of("Tus-Resumable", "0.2.2", "Upload-Offset", "0",
                "Content-Type", "application/offset+octet-stream"), new byte[10]);
        assertEquals(412, refused.statusCode());
        assertEquals("1.0.0", refused.headers().firstValue("Tus-Version").orElseThrow());
    }

    @Test
    void an_upload_another_request_writes_is_locked() throws Exception {
        String id = upload("acme", 100);
        assertTrue(store.lock(id, "another-request", 10_000));
        HttpResponse<String> locked = patch(id, 0, new byte[10]);
        assertEquals(423, locked.statusCode());
        assertTrue(locked.body().contains("being written by another request"), locked.body());
        store.unlock(id, "another-request");
        assertEquals(204, patch(id, 0, new byte[10]).statusCode(), "free again once the other is done");
    }

    /**
     * The lock lapsed while the bytes came in (Redis away, the process starved) and another request took it: that one
     * may cut and write the file, so this one stops at once, its answer a conflict the client resumes from.
     */
    @Test
    void a_patch_that_lost_its_lock_stops_writing_and_answers_a_conflict() throws Exception {
        String id = upload("acme", 1000);
        try (Socket socket = startPatch("/short-locks/uploads/" + id, "", 1000, new byte[100])) {
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.size(files.file(id)) == 100); // streaming
            REDIS.client().set("test:upload:" + id + ":lock", "another-request");
            String answer = answer(socket); // to the end: the connection is closed, the rest of the body unread
            assertTrue(answer.startsWith("HTTP/1.1 409 "), answer);
            assertTrue(answer.contains("lost upload " + id + "'s write lock"), answer);
        }
        assertEquals(0, offset(id), "the request that lost the lock changes nothing");
        assertEquals("another-request", REDIS.client().get("test:upload:" + id + ":lock"), "nor frees the other's");
    }

    /**
     * A PATCH that begins in the upload's last seconds keeps it while its bytes come: the upload expired before the
     * lock's first renewal (a third of its life), and the bytes were answered 404.
     */
    @Test
    void a_patch_begun_in_the_uploads_last_seconds_keeps_it() throws Exception {
        String id = JobIds.next();
        Instant now = Instant.now();
        store.create(new TusUpload(id, 1000, 0, Map.of(), "acme", null, now, now.plusSeconds(2), null));
        files.create(id);
        try (Socket socket = startPatch("/uploads/" + id, "Connection: close\r\n", 100, new byte[40])) {
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.size(files.file(id)) == 40); // streaming
            await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(now.plusSeconds(3)));
            socket.getOutputStream().write(new byte[60]);
            String answer = answer(socket);
            assertTrue(answer.startsWith("HTTP/1.1 204 "), answer);
        }
        assertEquals(100, offset(id));
    }

    /**
     * The maximum age (7 days here) holds while a PATCH's bytes come too: one trickling just above the minimum rate
     * would otherwise keep the upload and its disk room for as long as its bytes took.
     */
    @Test
    void a_patch_still_streaming_when_its_upload_reaches_the_maximum_age_is_gone() throws Exception {
        String id = JobIds.next();
        Instant created = Instant.now().minus(Duration.ofDays(7)).plusSeconds(2);
        store.create(new TusUpload(id, 1000, 0, Map.of(), "acme", null, created, Instant.now().plusSeconds(3600),
                null));
        files.create(id);
        try (Socket socket = startPatch("/uploads/" + id, "", 1000, new byte[100])) {
            String answer = answer(socket); // the rest of the body never sent
            assertTrue(answer.startsWith("HTTP/1.1 410 "), answer);
            assertTrue(answer.contains("reached the 168 hours an upload may take"), answer);
        }
        assertEquals(0, offset(id), "nothing counted");
    }

    /**
     * Another request took the lock over (this one's lapsed) and moved the upload on while this one's bytes came in:
     * 409 and a HEAD, not 404 and give up.
     */
    @Test
    void a_patch_whose_upload_moved_on_meanwhile_is_a_conflict() throws Exception {
        String id = upload("acme", 1000);
        String answer = answerAfter(id, () -> {
            REDIS.client().set("test:upload:" + id + ":lock", "another-request");
            assertTrue(store.advance(id, "another-request", 0, 70, Instant.now().plusSeconds(3600)));
        });
        assertTrue(answer.startsWith("HTTP/1.1 409 "), answer);
        assertTrue(answer.contains("moved on"), answer);
        assertEquals(70, offset(id));
    }

    /**
     * Another request took the lock over while this one's bytes came in, and has not counted its own yet (it may have
     * cut the file back): this one's body ends before a renewal finds the lock lost, and still counts nothing.
     */
    @Test
    void a_patch_whose_lock_another_took_counts_nothing_even_before_the_other_wrote() throws Exception {
        String id = upload("acme", 1000);
        String answer = answerAfter(id, () -> REDIS.client().set("test:upload:" + id + ":lock", "another-request"));
        assertTrue(answer.startsWith("HTTP/1.1 409 "), answer);
        assertEquals(0, offset(id), "the other request's to count");
        assertEquals("another-request", REDIS.client().get("test:upload:" + id + ":lock"), "and its lock kept");
    }

    /**
     * Terminated by another request (this one's lock lapsed) while its bytes came in: the upload is gone, a 404, never
     * a failure of the service.
     */
    @Test
    void a_patch_whose_upload_was_terminated_meanwhile_is_not_found() throws Exception {
        String id = upload("acme", 1000);
        String answer = answerAfter(id, () -> {
            REDIS.client().set("test:upload:" + id + ":lock", "a-delete");
            store.delete(id);
            files.delete(id);
        });
        assertTrue(answer.startsWith("HTTP/1.1 404 "), answer);
    }

    /** Something another request does while it can. */
    interface Meanwhile {
        void run() throws Exception;
    }

    /**
     * The answer to a PATCH of upload {@code id}'s first 100 bytes, {@code meanwhile} done once its first 40 are
     * written, before the other 60 are sent.
     */
    private static String answerAfter(String id, Meanwhile meanwhile) throws Exception {
        try (Socket socket = startPatch("/uploads/" + id, "Connection: close\r\n", 100, new byte[40])) {
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.size(files.file(id)) == 40); // streaming
            meanwhile.run();
            socket.getOutputStream().write(new byte[60]);
            return answer(socket);
        }
    }

    /**
     * Sends a PATCH at offset 0 of {@code declared} bytes, and only {@code part} of them so far.
     *
     * @param headers more header lines, each ending in CRLF
     */
    private static Socket startPatch(String path, String headers, long declared, byte[] part) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(("PATCH " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n"
                   + "Content-Type: application/offset+octet-stream\r\nContent-Length: " + declared + "\r\n" + headers
                   + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(part);
        out.flush();
        return socket;
    }

    /** The whole answer, read until the server closes the connection. */
    private static String answer(Socket socket) throws IOException {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
