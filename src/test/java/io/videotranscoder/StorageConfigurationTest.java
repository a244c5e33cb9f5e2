package io.videotranscoder;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import io.videotranscoder.process.StartRefusal;
import io.videotranscoder.support.S3Server;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

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
        // Its connections are taken by the system (the backlog) and never read: the client's writes fill the buffers.
        try (ServerSocket store = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             S3Client client = S3Server.clientOf(URI.create("http://127.0.0.1:" + store.getLocalPort()),
                     StorageConfiguration.requests(Duration.ofSeconds(1)))) {
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(SdkException.class,
                    () -> client.putObject(b -> b.bucket("videos").key("part"),
                            RequestBody.fromBytes(new byte[32 << 20]))), "given up, not held");
        }
    }
}
