package io.videotranscoder.job;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import io.videotranscoder.ffmpeg.TranscodeOptions;
import io.videotranscoder.refusal.Refusal;
import io.videotranscoder.storage.Storage;
import io.videotranscoder.support.RedisServer;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.exceptions.JedisConnectionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * A client's file name is kept only as bounded, printable metadata: its last path segment. A submission that fails
 * after the received file was moved into the job's folder gives it back: an inbox file or a finished resumable upload
 * is its user's.
 */
class JobSubmitterTest {

    @RegisterExtension
    static final RedisServer SERVER = new RedisServer(2);

    @TempDir
    Path root;

    @Test
    void a_file_whose_job_could_not_be_recorded_goes_back_where_it_was() throws Exception {
        JobStore store = mock(JobStore.class);
        when(store.keys()).thenReturn(new JobKeys("transcoder:"));
        doThrow(new IllegalStateException("Redis is unreachable")).when(store).create(any(), any(), anyBoolean(),
                anyBoolean());
        Storage storage = mock(Storage.class);
        when(storage.local()).thenReturn(true);
        JobSubmitter submitter = submitter(store, storage);
        Path claims = Files.createDirectories(root.resolve("inbox/.claims/c1"));
        Path claimed = Files.writeString(claims.resolve("holiday.mp4"), "the user's only copy");
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(JobOwner.PROPERTY, JobOwner.keyless("default"));

        File input = (File) submitter.create(new JobRequest("inbox", claimed, "holiday.mp4",
                TranscodeOptions.DEFAULT.toPreset()), exchange);
        assertFalse(Files.exists(claimed), "moved into the job's folder");
        assertThrows(IllegalStateException.class, () -> submitter.record(exchange));

        assertEquals("the user's only copy", Files.readString(claimed));
        assertFalse(Files.exists(input.toPath().getParent()), "no job folder is left");
    }

    /**
     * The record was written but its answer lost (a timeout, a failover): the job goes on, its input kept. Undone, the
     * job stayed recorded with its input handed back, was queued by housekeeping and failed, its webhook sent.
     */
    @Test
    void a_job_whose_record_was_written_though_its_answer_was_lost_goes_on() throws Exception {
        JobStore store = new JobStore(SERVER.client(), "submit:" + System.nanoTime() + ":") {
            @Override
            public void create(Job job, JobOwner owner, boolean splitOff, boolean inputPending) {
                super.create(job, owner, splitOff, inputPending);
                throw new JedisConnectionException("java.net.SocketTimeoutException: Read timed out");
            }
        };
        Storage storage = mock(Storage.class);
        when(storage.local()).thenReturn(true);
        JobSubmitter submitter = submitter(store, storage);
        Path upload = Files.writeString(root.resolve("upload.mp4"), "a video");
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(JobOwner.PROPERTY, JobOwner.keyless("default"));
        File input = (File) submitter.create(new JobRequest("api", upload, "clip.mp4",
                TranscodeOptions.DEFAULT.toPreset()), exchange);

        submitter.record(exchange);

        Job job = exchange.getProperty(JobSubmitter.JOB, Job.class);
        assertEquals("a video", Files.readString(input.toPath()), "its input stays in its folder");
        assertTrue(store.find(job.id()).isPresent());
        assertEquals(1, SERVER.client().xlen(store.keys().queue()), "and its entry, written with it");
    }

    /** A finished resumable upload over its key's quota was copied whole into an object store, then refused. */
    @Test
    void a_key_over_its_quota_is_refused_before_its_file_is_taken() throws Exception {
        JobStore store = mock(JobStore.class);
        when(store.keys()).thenReturn(new JobKeys("transcoder:"));
        JobOwner owner = new JobOwner("acme", "key-1", 2);
        doThrow(new Refusal(Refusal.Kind.QUOTA_EXCEEDED, "over", null)).when(store).requireQuota(owner);
        JobSubmitter submitter = submitter(store, mock(Storage.class));
        Path upload = Files.writeString(root.resolve("upload.mp4"), "a finished upload");
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(JobOwner.PROPERTY, owner);

        assertThrows(Refusal.class, () -> submitter.create(new JobRequest("api", upload, "clip.mp4",
                TranscodeOptions.DEFAULT.toPreset()), exchange));

        assertEquals("a finished upload", Files.readString(upload));
        assertFalse(Files.exists(root.resolve("videos")), "no job folder");
    }

    @ParameterizedTest
    @CsvSource({"../../a.mp4, a.mp4", "'C:\\x\\b.mp4', b.mp4", "/home/u/My Clip.mov, My Clip.mov",
            "'  spaced.mp4  ', spaced.mp4", "plain.mkv, plain.mkv", "' .moving-1.mp4', moving-1.mp4",
            "'a\\. .hidden.mp4', hidden.mp4", "'..mp4', mp4", "'\u2003.em-space.mp4', em-space.mp4"})
    void keeps_the_last_path_segment(String given, String expected) {
        assertEquals(expected, ClientNames.displayName(given));
    }

    @Test
    void removes_control_characters() {
        assertEquals("abc.mp4", ClientNames.displayName("a\u0000b\nc.mp4"));
        assertEquals("ab.mp4", ClientNames.displayName("a\u001b\u007f\u0085b.mp4"));
    }

    @Test
    void removes_characters_that_reorder_the_text() {
        assertEquals("clipgpj.mp4", ClientNames.displayName("clip\u202Egpj.mp4"));
        assertEquals("ab.mp4", ClientNames.displayName("a\u2066\u200F\u061Cb.mp4"));
        String family = "\uD83D\uDC68\u200D\uD83D\uDC69.mp4";
        assertEquals(family, ClientNames.displayName(family), "a joiner between emoji stays");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "/", "dir/", "\\", " \t ", "\u0000\n", "...", ". ."})
    void nothing_left_gives_null(String given) {
        assertNull(ClientNames.displayName(given));
    }

    @Test
    void a_long_name_is_cut_before_its_extension() {
        String name = ClientNames.displayName("x".repeat(300) + ".mp4");
        assertEquals("x".repeat(251) + ".mp4", name);
        assertEquals(255, name.codePointCount(0, name.length()));
    }

    @Test
    void a_long_name_without_a_short_extension_is_cut_at_255() {
        assertEquals("y".repeat(255), ClientNames.displayName("y".repeat(300)));
        String odd = ClientNames.displayName("z".repeat(280) + "." + "e".repeat(20));
        assertEquals("z".repeat(255), odd);
    }

    @ParameterizedTest
    @ValueSource(strings = {".mp4", ".🎬", ""})
    void a_long_emoji_name_keeps_whole_code_points(String ext) {
        String name = ClientNames.displayName("🎬".repeat(300) + ext);
        int codePoints = name.codePointCount(0, name.length());
        assertTrue(codePoints <= 255 && codePoints >= 250, () -> codePoints + " code points");
        assertTrue(name.endsWith(ext));
        assertTrue(wellFormed(name), "broken surrogate pair");
    }

    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (++i >= s.length() || !Character.isLowSurrogate(s.charAt(i))) {
                    return false;
                }
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private JobSubmitter submitter(JobStore store, Storage storage) {
        return new JobSubmitter(store, new JobFiles(root.resolve("videos")), storage,
                new PendingInputs(store, storage, Duration.ofHours(24)), Clock.systemUTC());
    }
}
