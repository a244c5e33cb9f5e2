package io.videotranscoder;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.videotranscoder.process.StartRefusal;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageConfigurationTest {

    @Test
    void an_endpoint_variable_set_empty_stops_the_start_with_what_to_do() {
        StartRefusal refusal = assertThrows(StartRefusal.class,
                () -> StorageConfiguration.requireNoEmptyEndpoint(Map.of("AWS_ENDPOINT_URL_S3", " ")));

        assertEquals("AWS_ENDPOINT_URL_S3 is set but empty, which the AWS SDK takes as the store's address: unset it "
                     + "to reach AWS itself, or give the store's URL.", refusal.getMessage());
        assertThrows(StartRefusal.class,
                () -> StorageConfiguration.requireNoEmptyEndpoint(Map.of("AWS_ENDPOINT_URL", "")));
    }

    @Test
    void unset_endpoint_variables_reach_aws_itself() {
        assertDoesNotThrow(() -> StorageConfiguration.requireNoEmptyEndpoint(Map.of("AWS_REGION", "eu-west-1")));
    }

    /**
     * A store that takes the connection and then reads nothing (a hung proxy): a part's upload fails after the request
     * timeout, where the SDK alone waited for ever (it bounds reads, not writes).
     */
    @Test
    void a_request_to_a_store_that_stops_reading_fails_after_the_timeout() throws Exception {
        try (ServerSocket store = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             S3Client client = S3Client.builder().region(Region.US_EAST_1)
                     .endpointOverride(URI.create("http://127.0.0.1:" + store.getLocalPort()))
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                     .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                     .overrideConfiguration(StorageConfiguration.requests(Duration.ofSeconds(1))).build()) {
            Thread accepter = new Thread(() -> {
                try {
                    Socket held = store.accept(); // and never read: the client's writes fill the buffers, then wait
                    Thread.sleep(60_000);
                    held.close();
                } catch (IOException | InterruptedException e) {
                    // the test is over
                }
            });
            accepter.setDaemon(true);
            accepter.start();
            long start = System.nanoTime();

            assertThrows(SdkException.class, () -> client.putObject(b -> b.bucket("videos").key("part"),
                    RequestBody.fromBytes(new byte[32 << 20])));

            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "given up, not held");
            accepter.interrupt();
        }
    }
}
