package io.videotranscoder;

import java.util.Map;

import io.videotranscoder.process.StartRefusal;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
