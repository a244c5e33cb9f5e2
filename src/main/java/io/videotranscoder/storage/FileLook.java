package io.videotranscoder.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/** What a file shows of itself: its size and the time it was last written, one of which every write moves. */
public record FileLook(long size, FileTime modified) {

    public static FileLook of(BasicFileAttributes attributes) {
        return new FileLook(attributes.size(), attributes.lastModifiedTime());
    }

    /** The file itself, never what a link points to. */
    public static FileLook of(Path file) throws IOException {
        return of(Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
    }
}
