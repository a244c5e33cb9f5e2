package io.videotranscoder.inbox;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;

import io.videotranscoder.job.JobIds;
import io.videotranscoder.storage.LinkFreePaths;
import io.videotranscoder.storage.UniqueNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims left behind by a process that stopped, put back into the inbox: this instance's own from before it started
 * (named after it and a UUID), and any claim whose time this instance has seen stand still for the claim timeout (a
 * claim in use is touched every third of it), judged by whether its time changes, never by this host's clock.
 *
 * @param startedAt when this process started: its instance's claims from before are a dead process's
 * @param looks     how long each claim's time has stood still, as this instance has seen it
 */
record LeftClaims(Path inbox, InboxFolders folders, String instance, long claimTimeoutMillis, long startedAt,
        ClaimLooks looks) {

    private static final Logger LOG = LoggerFactory.getLogger(LeftClaims.class);

    /** @param acting the claims this process acts on now: never taken back, however long the act lasts */
    void recover(Path claims, Set<Path> acting) throws IOException {
        Set<Path> seen = new HashSet<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(claims)) {
            for (Path dir : dirs) {
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    continue; // no claim (claims are folders): a file someone put there, say a Finder's .DS_Store
                }
                seen.add(dir);
                try {
                    long claimedAt = Files.getLastModifiedTime(dir).toMillis();
                    // Touched by this host's clock, before this process started: a dead process of this instance's.
                    boolean mineFromBefore = mine(dir.getFileName().toString()) && claimedAt < startedAt;
                    if (!acting.contains(dir)
                        && (mineFromBefore || looks.unchangedMillis(dir, claimedAt) > claimTimeoutMillis)) {
                        restore(inbox, folders, dir, "its claim was left by a process that stopped");
                    }
                } catch (IOException e) {
                    // One claim that cannot go back (gone meanwhile, or unreadable) keeps no other from going back.
                    LOG.warn("Could not return the claim {} to the inbox: {}", dir.getFileName(), e.toString());
                }
            }
        }
        looks.forgetAllBut(seen);
    }

    /** Whether a claim's folder is this instance's: its name, then a UUID (not {@code api-2}'s for {@code api}). */
    private boolean mine(String claim) {
        return claim.startsWith(instance + "-") && JobIds.valid(claim.substring(instance.length() + 1));
    }

    /** Puts the files under {@code dir} back into the inbox, each where it was dropped; {@code why} is logged. */
    static void restore(Path inbox, InboxFolders folders, Path dir, String why) throws IOException {
        try (var files = Files.walk(dir)) {
            // A claimed link goes back as the link: walk and move never follow one.
            for (Path file : files.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                Path relative = dir.relativize(file);
                if (!LinkFreePaths.real(inbox, relative.getParent())) {
                    folders.fail(file, file.getFileName().toString(), "Its folder in the inbox became a link while it"
                            + " was claimed; the inbox never puts a file through a link. Drop it in again.");
                    continue;
                }
                UniqueNames.move(file, inbox.resolve(relative).getParent(), file.getFileName().toString());
                LOG.warn("Returned {} to the inbox: {}", relative, why);
            }
        }
        deleteEmptied(dir);
    }

    /** The claim's folders the moves emptied: a file that came into one meanwhile stays, for a later look. */
    private static void deleteEmptied(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path folder : paths.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(folder);
                } catch (DirectoryNotEmptyException filledMeanwhile) {
                    LOG.warn("Claim folder {} was given a file while it went back to the inbox: left for a later look",
                            folder);
                }
            }
        }
    }
}
