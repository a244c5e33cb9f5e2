package io.videotranscoder.storage;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.videotranscoder.support.S3Server;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the store answers to a removal, as a client stands in for it (the store's own behaviour: ObjectStorageIT). */
class S3StorageTest {

    private static final String JOB = "58c243b8-e30a-474e-b707-9ef819067e7b";

    /** A store holding two objects of the job that keeps those {@code kept} names, as DeleteObjects reports them. */
    private static final class Store implements S3Client {
        final List<String> asked = new ArrayList<>();
        final List<S3Error> kept;
        final List<String> names;

        Store(List<S3Error> kept) {
            this(kept, List.of("input.mp4", "output.mp4"));
        }

        Store(List<S3Error> kept, List<String> names) {
            this.kept = kept;
            this.names = names;
        }

        @Override
        public ListObjectsV2Response listObjectsV2(ListObjectsV2Request request) {
            return ListObjectsV2Response.builder().isTruncated(false).contents(names.stream()
                    .map(name -> S3Object.builder().key(request.prefix() + name).build()).toList()).build();
        }

        @Override
        public DeleteObjectsResponse deleteObjects(DeleteObjectsRequest request) {
            request.delete().objects().forEach(o -> asked.add(o.key()));
            return DeleteObjectsResponse.builder().errors(kept).build();
        }

        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void objects_the_store_keeps_fail_the_removal_with_the_stores_reason() {
        Store store = new Store(List.of(S3Error.builder().key("jobs/" + JOB + "/output.mp4").code("AccessDenied")
                .message("Access Denied").build()));
        S3Storage storage = new S3Storage(store, null, StorageUri.parse("s3://bucket/jobs"));

        UncheckedIOException failure = assertThrows(UncheckedIOException.class, () -> storage.deleteJob(JOB));

        assertEquals("The store kept 1 of the 2 objects of job " + JOB + " it was asked to remove: jobs/" + JOB
                     + "/output.mp4 (AccessDenied: Access Denied)", failure.getCause().getMessage());
    }

    /** A store that takes connections and never answers: a look-up gives up within its limit, not minutes later. */
    @Test
    void a_look_up_of_a_store_that_never_answers_gives_up_within_its_limit() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             S3Client client = S3Server.clientOf(URI.create("http://127.0.0.1:" + silent.getLocalPort()),
                     ClientOverrideConfiguration.builder().build())) {
            S3Storage storage = new S3Storage(client, null, StorageUri.parse("s3://bucket/jobs"),
                    Duration.ofSeconds(1));

            SdkException gaveUp = assertTimeoutPreemptively(Duration.ofSeconds(15),
                    () -> assertThrows(SdkException.class, () -> storage.stat(JOB + "/input.mp4")));

            assertTrue(gaveUp.getMessage().contains("did not complete"), gaveUp.getMessage());
        }
    }

    /** Only what one attempt stored goes: the input and the other attempts' outputs stay. */
    @Test
    void an_attempts_removal_asks_for_its_own_objects_only() {
        Store store = new Store(List.of(), List.of("input.mp4", "aaaaaaaaaaaaaaaa/output.mp4",
                "bbbbbbbbbbbbbbbb/output.mp4"));
        S3Storage storage = new S3Storage(store, null, StorageUri.parse("s3://bucket/jobs"));

        storage.deleteAttempt(JOB, "aaaaaaaaaaaaaaaa");

        assertEquals(List.of("jobs/" + JOB + "/aaaaaaaaaaaaaaaa/output.mp4"), store.asked);
    }

    @Test
    void a_removal_the_store_answers_without_errors_is_done() {
        Store store = new Store(List.of());
        S3Storage storage = new S3Storage(store, null, StorageUri.parse("s3://bucket/jobs"));

        assertDoesNotThrow(() -> storage.deleteJob(JOB));
        assertEquals(List.of("jobs/" + JOB + "/input.mp4", "jobs/" + JOB + "/output.mp4"), store.asked);
    }

    @Test
    void a_clean_up_the_jobs_removal_repeats_goes_on_past_what_the_store_keeps() {
        Store store = new Store(List.of(S3Error.builder().key("jobs/" + JOB + "/parts/segment-0.mp4")
                .code("AccessDenied").message("Access Denied").build()));
        S3Storage storage = new S3Storage(store, null, StorageUri.parse("s3://bucket/jobs"));

        assertDoesNotThrow(() -> storage.deleteParts(JOB));
        assertDoesNotThrow(() -> storage.deleteOtherAttempts(JOB, "aaaaaaaaaaaaaaaa"));
        assertEquals(List.of("jobs/" + JOB + "/output.mp4"), store.asked, "asked once, by the second clean-up");
    }
}
