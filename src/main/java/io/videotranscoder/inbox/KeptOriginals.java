package io.videotranscoder.inbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobFiles;
import io.videotranscoder.job.JobIds;
import io.videotranscoder.job.JobRequest;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.job.JobSubmitter;
import io.videotranscoder.storage.LinkFreePaths;
import io.videotranscoder.storage.StagedMoves;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inbox originals kept on the inbox's own mount while their jobs run. Where the job folders are on another mount (the
 * compose file mounts ./inbox and ./videos apart), a job gets a copy of its file, and the original is renamed into
 * {@code .processing/<job id>/<its path in the inbox>}: a writer that stalled past the stable time and goes on after
 * the copy writes into the file its user gets back, never into one the inbox removed. When the job ends,
 * {@link InboxResults} hands the original back from here. One whose job was never recorded (its submission refused
 * for the moment, or its process died) goes back into the inbox once this instance has seen its folder unchanged for
 * the claim timeout, as a left claim does.
 */
public class KeptOriginals {

    static final String FOLDER = ".processing";
    private static final Logger LOG = LoggerFactory.getLogger(KeptOriginals.class);

    private final Path inbox;
    private final InboxClaims claims;
    private final InboxFolders folders;
    private final JobStore store;
    private final JobFiles files;
    private final JobSubmitter submitter;
    private final long timeoutMillis;
    private final ClaimLooks looks = new ClaimLooks();
    /** The jobs whose originals this process keeps for a submission under way: never swept, however long it takes. */
    private final Set<String> keeping = ConcurrentHashMap.newKeySet();

    public KeptOriginals(InboxClaims claims, JobStore store, JobFiles files, JobSubmitter submitter,
            long timeoutMillis) {
        this.claims = claims;
        this.folders = claims.folders();
        this.inbox = folders.inbox();
        this.store = store;
        this.files = files;
        this.submitter = submitter;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * The request for the claimed file: as it is where a rename moves the file into its job's folder; else for a copy,
     * the original kept here (the claim, exchange property {@value InboxClaims#CLAIM}, follows it).
     */
    public JobRequest keep(JobRequest request, Exchange exchange) throws IOException {
        InboxClaims.Claim claim = exchange.getProperty(InboxClaims.CLAIM, InboxClaims.Claim.class);
        if (StagedMoves.sameMount(claim.file(), Files.createDirectories(files.root()))) {
            return request;
        }
        String id = JobIds.next();
        Path kept = Path.of(FOLDER, id).resolve(claim.relativePath());
        Files.createDirectories(folders.own(FOLDER).resolve(id).resolve(claim.relativePath()).getParent());
        keeping.add(id); // and touched: its job has no record yet
        claims.touchWhileActing(inbox.resolve(FOLDER).resolve(id), exchange, () -> keeping.remove(id));
        LinkFreePaths.moveOut(inbox, inbox.relativize(claim.file()), kept);
        exchange.setProperty(InboxClaims.CLAIM, new InboxClaims.Claim(claim.dir(), inbox.resolve(kept),
                claim.relativePath()));
        return request.copyOf(inbox.resolve(kept), id);
    }

    /** The original kept here for the job, if any. */
    Optional<Path> kept(String id) throws IOException {
        Path dir = inbox.resolve(FOLDER).resolve(id);
        if (!JobIds.valid(id) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try (var found = Files.walk(dir, 2)) { // the file, or the folder of its preset and the file
            return found.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).findFirst();
        } catch (NoSuchFileException | UncheckedIOException goneMeanwhile) { // handed back by another caller
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw goneMeanwhile;
            }
            return Optional.empty();
        }
    }

    /**
     * An inbox job's original while it waits for the job's end: kept here, or in the job's folder (never a copy there,
     * whose original another instance may have handed back from here); else null.
     */
    Path original(Job job) throws IOException {
        Optional<Path> kept = kept(job.id());
        if (kept.isPresent()) {
            return kept.get();
        }
        Path input = input(job);
        return Files.isRegularFile(input, LinkOption.NOFOLLOW_LINKS) && !files.inputIsCopy(job.id()) ? input : null;
    }

    private Path input(Job job) {
        return files.jobDir(job.id()).resolve(job.inputFile());
    }

    /**
     * Hands the job's original over to {@code move}. A kept original's copy in the job's folder goes first: once the
     * original is gone, the copy must not be taken for it.
     */
    void handOver(Job job, Path original, Move move) throws IOException {
        if (!original.equals(input(job))) {
            Files.deleteIfExists(input(job));
        }
        moved(original, move);
        emptied(job.id());
    }

    interface Move {
        Path run() throws IOException;
    }

    /**
     * A move of {@code file} another caller (the worker, or housekeeping) made first is done, not a failure; one whose
     * file is still there failed (its target's folder removed meanwhile), and the file must not be taken for moved.
     */
    static void moved(Path file, Move move) throws IOException {
        try {
            move.run();
        } catch (NoSuchFileException alreadyMoved) {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw alreadyMoved;
            }
            LOG.debug("Inbox original already handed back: {}", alreadyMoved.getMessage());
        }
    }

    /** Removes the job's folder here once its original left it; one that holds a file stays. */
    void emptied(String id) throws IOException {
        if (JobIds.valid(id) && Files.isDirectory(inbox.resolve(FOLDER).resolve(id), LinkOption.NOFOLLOW_LINKS)) {
            LinkFreePaths.deleteFolders(inbox, Path.of(FOLDER, id));
        }
    }

    /**
     * Returns to the inbox the originals of jobs that were never recorded: no record, their folder here unchanged for
     * the claim timeout as this instance has seen it (another host's clock sets its time; a submission under way
     * touches it, wherever its job's folder is), and no recorded job's copy in a job folder this instance sees (a
     * record lost, Redis restored without it; another deployment's job on the same data root). A folder left empty
     * goes the same way.
     */
    public void sweep() throws IOException {
        Path root = inbox.resolve(FOLDER);
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Set<Path> seen = new HashSet<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                String id = dir.getFileName().toString();
                if (!JobIds.valid(id) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                seen.add(dir);
                try {
                    long at = Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS).toMillis();
                    if (looks.unchangedMillis(dir, at) > timeoutMillis && !keeping.contains(id)
                        && !(files.inputIsCopy(id) && !submitter.receiving(id)) && store.status(id).isEmpty()) {
                        LeftClaims.restore(inbox, folders, dir, "job " + id + " was never recorded");
                    }
                } catch (IOException | UncheckedIOException e) { // one folder keeps no other from going back
                    LOG.warn("Could not return the original kept for job {} to the inbox: {}", id, e.toString());
                }
            }
        }
        looks.forgetAllBut(seen);
    }
}
