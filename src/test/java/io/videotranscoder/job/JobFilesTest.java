package io.videotranscoder.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Only job ids and server-chosen names become paths under the data root. */
class JobFilesTest {

    private static final String ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

    @TempDir
    Path root;

    @ParameterizedTest
    @CsvSource({"clip.MP4, input.mp4", "a.b.webm, input.webm", "movie.mkv, input.mkv"})
    void keeps_a_known_video_extension(String original, String expected) {
        assertEquals(expected, JobFiles.inputName(original));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"x.exe", "noext", "clip.mp4.sh", "mp4", "clip.", "../x/mp4"})
    void other_names_become_input_bin(String original) {
        assertEquals("input.bin", JobFiles.inputName(original));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"../etc", "", ".", "0F8FAD5B-D9CB-469F-A165-70867728950E", ID + "/..", "../" + ID})
    void refuses_a_job_dir_for_anything_but_a_uuid(String id) {
        assertThrows(IllegalArgumentException.class, () -> new JobFiles(root).jobDir(id));
    }

    @Test
    void job_dir_is_the_id_under_the_root() {
        assertEquals(root.toAbsolutePath().normalize().resolve(ID), new JobFiles(root).jobDir(ID));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../other/output.mp4", "../" + ID + "x/output.mp4", ".work/output.mp4", "..", "/etc/passwd"})
    void refuses_an_output_outside_the_job_folder(String name) {
        assertThrows(IllegalArgumentException.class, () -> new JobFiles(root).output(ID, name));
    }

    @Test
    void output_resolves_a_plain_name_in_the_job_folder() {
        JobFiles files = new JobFiles(root);
        assertEquals(files.jobDir(ID).resolve("output.mp4"), files.output(ID, "output.mp4"));
    }

    @Test
    void a_copy_that_fails_leaves_no_job_folder_and_its_original_where_it_was() throws IOException {
        Path kept = Files.writeString(Files.createDirectory(root.resolve("kept")).resolve("a.mp4"), "video");
        Files.createDirectories(root.resolve(ID).resolve("input.mp4")); // a folder in the copy's way

        JobRequest request = new JobRequest("inbox", kept, "a.mp4", null).copyOf(kept, ID);
        JobFiles keptFolders = new JobFiles(root) {
            @Override
            public void deleteJob(String id) {
                // its removal failed: what the give-back left shows
            }
        };
        assertThrows(IOException.class, () -> new ReceivedFiles(keptFolders, "transcoder:").adopt(request, ID,
                "input.mp4"));

        assertEquals("video", Files.readString(kept));
        assertFalse(Files.exists(root.resolve(ID).resolve(".received")), "nothing left for a later sweep");
        assertFalse(keptFolders.inputIsCopy(ID), "nor taken for a recorded job's copy, which keeps its original");
    }

    @Test
    void adopt_moves_the_upload_into_the_job_folder() throws IOException {
        Path upload = Files.writeString(Files.createDirectory(root.resolve("uploads")).resolve("u1.tmp"), "video");
        Path input = new ReceivedFiles(new JobFiles(root), "transcoder:").adopt(new JobRequest("api", upload, "u1.mp4", null), ID,
                "input.mp4");
        assertEquals(root.toAbsolutePath().normalize().resolve(ID).resolve("input.mp4"), input);
        assertEquals("video", Files.readString(input));
        assertFalse(Files.exists(upload));
    }

    @Test
    void fresh_work_dir_of_an_attempt_removes_what_other_attempts_left() throws IOException {
        JobFiles files = new JobFiles(root);
        Path earlier = files.workDir(ID, "00000000aaaaaaaa");
        Files.createDirectories(earlier.resolve("nested"));
        Files.writeString(earlier.resolve("output.mp4"), "partial");
        Files.writeString(earlier.resolve("nested/log"), "old");
        Files.writeString(earlier.getParent().resolve("output.mp4"), "what a version without attempts left");
        Path input = Files.writeString(files.jobDir(ID).resolve("input.mp4"), "keep");

        Path work = files.freshWorkDir(ID, "11111111bbbbbbbb");

        assertEquals(files.jobDir(ID).resolve(".work").resolve("11111111bbbbbbbb"), work);
        try (var left = Files.list(work.getParent())) {
            assertEquals(List.of(work), left.toList());
        }
        try (var left = Files.list(work)) {
            assertEquals(0, left.count());
        }
        assertTrue(Files.exists(input));
    }

    @Test
    void an_attempt_that_takes_over_empties_the_other_attempts_folders() throws IOException {
        JobFiles files = new JobFiles(root);
        Path first = files.freshWorkDir(ID, "11111111bbbbbbbb"); // a join that lost its lease, frozen
        Files.writeString(first.resolve("output.mp4"), "joined, not yet published");

        Path second = files.freshWorkDir(ID, "22222222cccccccc"); // the join that took it over

        assertFalse(Files.exists(first), "the frozen join has nothing left to publish over the second's outputs");
        assertTrue(Files.isDirectory(second));
    }

    @Test
    void a_failed_attempt_takes_its_own_folder_and_no_other_attempts() throws IOException {
        JobFiles files = new JobFiles(root);
        Path failed = files.freshWorkDir(ID, "11111111bbbbbbbb");
        Path later = Files.createDirectories(files.workDir(ID, "22222222cccccccc")); // a retry's attempt

        files.deleteAttempt(ID, "11111111bbbbbbbb");

        assertFalse(Files.exists(failed));
        assertTrue(Files.exists(later));
    }

    @Test
    void publishing_moves_only_the_attempts_own_files() throws IOException {
        JobFiles files = new JobFiles(root);
        Path mine = files.freshWorkDir(ID, "11111111bbbbbbbb");
        Path other = Files.createDirectories(files.workDir(ID, "22222222cccccccc"));
        Files.writeString(mine.resolve("output.mp4"), "mine");
        Files.writeString(mine.resolve("progress.txt"), "progress");
        Files.writeString(other.resolve("output.mp4"), "half of the other attempt's");

        List<Job.Output> outputs = files.publishWork(ID, "11111111bbbbbbbb", Set.of("progress.txt"));

        assertEquals(List.of(new Job.Output("output.mp4", 4)), outputs);
        assertEquals("mine", Files.readString(files.output(ID, "output.mp4")));
        assertEquals("half of the other attempt's", Files.readString(other.resolve("output.mp4")));
    }

    @Test
    void an_attempts_folder_goes_and_the_work_root_with_it_only_when_no_other_attempt_is_there() throws IOException {
        JobFiles files = new JobFiles(root);
        Path mine = files.freshWorkDir(ID, "11111111bbbbbbbb");
        Path other = Files.createDirectories(files.workDir(ID, "22222222cccccccc"));

        files.deleteAttempt(ID, "11111111bbbbbbbb");
        assertFalse(Files.exists(mine));
        assertTrue(Files.isDirectory(other), "another attempt's folder is not touched");

        files.deleteAttempt(ID, "22222222cccccccc");
        assertFalse(Files.exists(other.getParent()), "the work root goes with the last attempt");
    }

    @Test
    void keeps_the_current_attempt_and_any_folder_changed_since_the_limit() throws IOException {
        JobFiles files = new JobFiles(root);
        Path current = Files.createDirectories(files.workDir(ID, "11111111bbbbbbbb"));
        Path stale = Files.createDirectories(files.workDir(ID, "00000000aaaaaaaa"));
        Path recent = Files.createDirectories(files.workDir(ID, "22222222cccccccc"));
        Instant limit = Instant.now().minus(Duration.ofMinutes(1));
        Files.setLastModifiedTime(current, FileTime.from(limit.minusSeconds(60)));
        Files.setLastModifiedTime(stale, FileTime.from(limit.minusSeconds(60)));

        assertEquals(1, files.deleteOtherAttempts(ID, () -> "11111111bbbbbbbb", limit));

        assertTrue(Files.isDirectory(current));
        assertTrue(Files.isDirectory(recent), "an attempt that began after the current one was read keeps its folder");
        assertFalse(Files.exists(stale));
    }

    /**
     * A live attempt whose folder's own time is old (FFmpeg rewrites the files already in it, which moves only theirs),
     * looked at by a housekeeper that read the job's attempt before a long pause: it is asked again before each
     * removal, and the tree's newest change counts. Nothing goes while no attempt holds the job.
     */
    @Test
    void a_live_attempts_folder_is_kept_by_its_files_times_and_by_asking_who_holds_the_job_again() throws IOException {
        JobFiles files = new JobFiles(root);
        Instant limit = Instant.now().minus(Duration.ofMinutes(1));
        Path writing = Files.createDirectories(files.workDir(ID, "33333333dddddddd"));
        Files.writeString(writing.resolve("progress.txt"), "out_time=00:00:04.000000");
        Files.setLastModifiedTime(writing, FileTime.from(limit.minusSeconds(60)));
        Path taken = Files.createDirectories(files.workDir(ID, "44444444eeeeeeee"));
        Files.setLastModifiedTime(taken, FileTime.from(limit.minusSeconds(60)));

        assertEquals(0, files.deleteOtherAttempts(ID, () -> null, limit), "no attempt holds the job");
        assertEquals(0, files.deleteOtherAttempts(ID, () -> "44444444eeeeeeee", limit));

        assertTrue(Files.exists(writing.resolve("progress.txt")), "its files were written within the limit");
        assertTrue(Files.isDirectory(taken), "it holds the job now");
    }

    /**
     * The attempt that takes a job over clears the other attempts' folders as housekeeping does: the two may remove
     * the same folder at once, and neither fails on what the other removed first.
     */
    @Test
    void two_removers_of_the_same_stale_folders_both_succeed() throws Exception {
        JobFiles files = new JobFiles(root);
        ExecutorService removers = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                for (int a = 0; a < 20; a++) {
                    Path stale = Files.createDirectories(files.workDir(ID, String.format("%016x", a)));
                    for (int f = 0; f < 20; f++) {
                        Files.writeString(stale.resolve("f" + f), "x");
                    }
                }
                CyclicBarrier start = new CyclicBarrier(2);
                Callable<Integer> remove = () -> {
                    start.await();
                    return files.deleteOtherAttempts(ID, () -> "ffffffffffffffff", Instant.MAX);
                };
                Future<Integer> one = removers.submit(remove);
                Future<Integer> other = removers.submit(remove);
                assertEquals(20, one.get() + other.get(), "each folder counted once, by whichever removed it");
                assertEquals(List.of(), listWork(files));
            }
        } finally {
            removers.shutdownNow();
        }
    }

    private static List<Path> listWork(JobFiles files) throws IOException {
        try (var entries = Files.list(files.workDir(ID, "ffffffffffffffff").getParent())) {
            return entries.toList();
        }
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "..", "../x", "ABCDEF0123456789", "0123456", "0123456789abcdef/..", "g123456789",
        "0123456789abcdef-", "0123456789abcdef-0123", "0123456789abcdef-0123456/", "0123456789abcdef-../x"})
    void refuses_a_work_folder_for_anything_but_an_attempt_token(String attempt) {
        assertThrows(IllegalArgumentException.class, () -> new JobFiles(root).workDir(ID, attempt));
    }
}
