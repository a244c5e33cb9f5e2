package io.videotranscoder.storage;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The store's side of one upload, as the S3 client is asked (a mock: what matters is what is asked, and when). */
class PartedUploadTest {

    /**
     * An upload given up (its request refused, or its client gone) while a part is on its way: S3 may store that part
     * after the abort, so the abort is sent again once the part is done. It was sent once, and the part stayed billed.
     */
    @Test
    @SuppressWarnings("unchecked")
    void an_upload_given_up_while_a_part_is_on_its_way_is_aborted_again_after_it() throws Exception {
        S3Client s3 = mock(S3Client.class);
        CountDownLatch sending = new CountDownLatch(1);
        CountDownLatch aborted = new CountDownLatch(1);
        when(s3.createMultipartUpload(any(Consumer.class)))
                .thenReturn(CreateMultipartUploadResponse.builder().uploadId("u1").build());
        when(s3.uploadPart(any(Consumer.class), any(RequestBody.class))).thenAnswer(call -> {
            sending.countDown();
            assertTrue(aborted.await(10, TimeUnit.SECONDS));
            return UploadPartResponse.builder().eTag("e1").build();
        });
        PartedUpload upload = new PartedUpload(s3, "bucket", "jobs/j1/input.mp4");

        CompletableFuture<Void> part = CompletableFuture.runAsync(() -> upload.send(1, new byte[16], 16));
        assertTrue(sending.await(10, TimeUnit.SECONDS));
        upload.abort();
        aborted.countDown();
        part.get(10, TimeUnit.SECONDS);

        verify(s3, times(2)).abortMultipartUpload(any(Consumer.class));
    }
}
