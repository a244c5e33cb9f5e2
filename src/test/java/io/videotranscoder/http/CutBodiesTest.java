package io.videotranscoder.http;

import java.nio.file.Files;
import java.nio.file.Path;

import io.vertx.core.Future;
import io.vertx.ext.web.FileUpload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A multipart request still unanswered at its deadline: cut short by its client (400), or whole but not taken by the
 * disk (507). On a disk filled while the upload was written (a 40 MiB tmpfs, a 30 MiB upload, 30 MiB written beside
 * it) Vert.x never failed the request, and its client was told after 20 s that its body was incomplete.
 */
class CutBodiesTest {

    @TempDir
    Path dir;

    private static FileUpload upload(Path file, long received) {
        return new FileUpload() {
            public String name() {
                return "file";
            }

            public String uploadedFileName() {
                return file.toString();
            }

            public String fileName() {
                return "clip.mp4";
            }

            public long size() {
                return received;
            }

            public String contentType() {
                return "video/mp4";
            }

            public String contentTransferEncoding() {
                return "binary";
            }

            public String charSet() {
                return "UTF-8";
            }

            public boolean cancel() {
                return false;
            }

            public Future<Void> delete() {
                return Future.succeededFuture();
            }
        };
    }

    @Test
    void a_file_shorter_than_its_part_by_more_than_its_disk_holds_was_not_kept() throws Exception {
        Path file = Files.write(dir.resolve("upload"), new byte[1000]);
        long room = Files.getFileStore(dir).getUsableSpace();

        assertFalse(CutBodies.notKept(upload(file, 1000)), "every byte received is in the file: the body was cut");
        assertTrue(CutBodies.notKept(upload(file, 1000 + room + (1L << 30))), "the disk had no room for the rest");
        assertFalse(CutBodies.notKept(upload(file, 1500)),
                "a part that declared 1500 bytes and was cut after 1000, on a disk with room for 500 more");
        assertFalse(CutBodies.notKept(upload(dir.resolve("not-yet-opened"), 0)), "nothing received yet");
    }
}
