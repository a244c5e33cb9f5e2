package io.videotranscoder.http;

import io.videotranscoder.storage.DiskSpace;
import io.videotranscoder.storage.Storage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** How many uploads one API key may send to a process at once (TRANSCODER_MAX_UPLOADS_PER_KEY). */
class StreamedUploadsTest {

    private static int perKey(boolean local, int maxStreaming, int setting) {
        Storage storage = mock(Storage.class);
        when(storage.local()).thenReturn(local);
        return new StreamedUploads(8080, storage, 8 << 20, 1L << 30, maxStreaming, setting, mock(DiskSpace.class))
                .maxPerKey();
    }

    @Test
    void the_setting_on_the_data_root_and_half_the_streams_at_most_with_an_object_store() {
        assertEquals(4, perKey(true, 5, 4));
        assertEquals(2, perKey(false, 5, 4), "one key never holds every stream into the store");
        assertEquals(1, perKey(false, 1, 4));
        assertEquals(3, perKey(false, 100, 3));
    }

    @Test
    void zero_is_any_number_with_an_object_store_too() {
        assertEquals(Integer.MAX_VALUE, perKey(true, 5, 0));
        assertEquals(Integer.MAX_VALUE, perKey(false, 5, 0));
    }
}
