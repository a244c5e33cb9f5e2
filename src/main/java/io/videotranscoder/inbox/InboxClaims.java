package io.videotranscoder.inbox;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.videotranscoder.refusal.Refusal;
import io.videotranscoder.job.JobRequest;
import io.videotranscoder.preset.Preset;
import io.videotranscoder.preset.PresetCatalog;
import io.videotranscoder.storage.FileChecks;
import io.videotranscoder.storage.LinkFreePaths;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes files out of the inbox. A file is claimed by renaming it into {@code .claimed/<instance>-<uuid>/}: a rename is
 * atomic, so when several instances watch one folder exactly one of them gets each file. A claim lives until the job
 * is queued (milliseconds, or minutes for a large file copied to another mount); one left by a process that died is
 * put back into the inbox by {@link #recover()}. A claim in use is touched every third of the claim timeout, so that
 * no other instance takes it for a dead one's.
 */
public class InboxClaims {

    public static final String CLAIM = "transcoderInboxClaim";
    private static final Logger LOG = LoggerFactory.getLogger(InboxClaims.class);

    private final Path inbox;
    private final InboxFolders folders;
    private final PresetCatalog presets;
    private final String instance;
    private final long claimTimeoutMillis;
    private final Clock clock;
    /**
     * The claims this process is acting on now: never taken back, however long the act lasts (moving a large file
     * into a job's folder is a copy where they are different mounts, as in the shipped compose file).
     */
    private final Set<Path> acting = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService touches;
    private final LeftClaims left;

    /** A claimed file: where it is now, and the inbox path it came from ({@code name} or {@code preset/name}). */
    public record Claim(Path dir, Path file, String relativePath) {
    }

    /** @param touches where this process's claims in use are touched, every third of {@code claimTimeoutMillis} */
    public InboxClaims(Path inbox, PresetCatalog presets, String instance, long claimTimeoutMillis, Clock clock,
            ScheduledExecutorService touches) {
        this.touches = touches;
        this.presets = presets;
        this.inbox = inbox.toAbsolutePath().normalize();
        this.folders = new InboxFolders(this.inbox);
        this.instance = instance;
        this.claimTimeoutMillis = claimTimeoutMillis;
        this.clock = clock;
        this.left = new LeftClaims(this.inbox, folders, instance, claimTimeoutMillis, clock.millis(), new ClaimLooks());
        warnIfNamesUnreadable(System.getProperty("sun.jnu.encoding", ""));
    }

    /**
     * Java reads file names in the encoding of the locale it started in: without a UTF-8 one ({@code LANG} unset, as
     * in a slim container image), a name with other characters than ASCII cannot be read back, and such a file would
     * be left in the inbox, unnoticed.
     */
    static void warnIfNamesUnreadable(String encoding) {
        if (!encoding.equalsIgnoreCase("UTF-8")) {
            LOG.warn("File names are read as {} (the locale's encoding): an inbox file whose name has other characters"
                     + " is never taken. Run the service with LANG=C.UTF-8.", encoding);
        }
    }

    private Path claims() throws IOException {
        return folders.own(".claimed");
    }

    /** The inbox's folders where files end. */
    public InboxFolders folders() {
        return folders;
    }

    /** Claims the polled file; the claim is the exchange property {@value #CLAIM}, absent when another took it. */
    public void claim(Exchange exchange) throws IOException {
        Path polled = InboxFilter.path(exchange.getIn().getBody(GenericFile.class));
        String relative = inbox.relativize(polled).toString();
        Path dir = Files.createDirectories(claims().resolve(instance + "-" + UUID.randomUUID()));
        Path claimed = dir.resolve(relative);
        Files.createDirectories(claimed.getParent());
        try {
            LinkFreePaths.moveOut(inbox, Path.of(relative), inbox.relativize(claimed));
        } catch (NoSuchFileException e) {
            removeEmpty(dir); // another instance was first
            return;
        } catch (LinkFreePaths.LinkOnTheWay e) {
            LOG.warn("Inbox file {} was not taken: a folder on its way became a link, and the inbox never follows"
                     + " links", relative);
            removeEmpty(dir);
            return;
        }
        exchange.setProperty(CLAIM, new Claim(dir, claimed, relative));
        acting.add(dir);
        // However the exchange ends: a claim left behind by a failure is the recovery's, after the claim timeout.
        touchWhileActing(dir, exchange, () -> acting.remove(dir));
    }

    /**
     * Touches {@code dir} every third of the claim timeout until the exchange is done, then runs {@code done}: no
     * instance takes it for a dead process's meanwhile (a claim, or an original kept for a submission under way).
     */
    void touchWhileActing(Path dir, Exchange exchange, Runnable done) {
        long every = Math.max(1, claimTimeoutMillis / 3);
        ScheduledFuture<?> touching = touches.scheduleAtFixedRate(() -> touch(dir), every, every,
                TimeUnit.MILLISECONDS);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange ended) {
                touching.cancel(false);
                done.run();
            }
        });
    }

    /** Marks a folder in use as alive, for the other instances' looks. */
    private void touch(Path dir) {
        try {
            Files.setLastModifiedTime(dir, FileTime.fromMillis(clock.millis()));
        } catch (IOException e) {
            LOG.debug("Could not touch the claim {}: {}", dir.getFileName(), e.toString()); // gone: it was settled
        }
    }

    /** The job request for a claimed file: the folder it was dropped in names its preset. */
    public JobRequest request(Exchange exchange) throws IOException {
        Claim claim = exchange.getProperty(CLAIM, Claim.class);
        if (!Files.isRegularFile(claim.file(), LinkOption.NOFOLLOW_LINKS)
            || !claim.file().toRealPath().startsWith(inbox.toRealPath())) {
            throw Refusal.cannotProcess("This is a symbolic link (or not a plain file): the inbox takes only"
                    + " files placed in it, never what a link points to. Copy or move the file itself in.", "file");
        }
        int slash = claim.relativePath().lastIndexOf('/');
        String folder = slash < 0 ? PresetCatalog.DEFAULT : claim.relativePath().substring(0, slash);
        if (presets.find(folder).isEmpty()) {
            throw Refusal.invalidField("preset", "The folder '" + folder + "' names no preset; drop the file in"
                    + " the inbox itself or in one of: " + presets.names() + ".");
        }
        Preset preset = presets.usable(folder);
        try {
            FileChecks.requireVideoLike(claim.file());
        } catch (AccessDeniedException e) {
            // Filed with its reason: left in its claim, it went back into the inbox and failed again, for ever.
            throw Refusal.cannotProcess("The service cannot read this file: its permissions do not let the user"
                    + " the service runs as read it. Make it readable (chmod a+r), then drop it in again.", "file");
        }
        return new JobRequest("inbox", claim.file(), claim.file().getFileName().toString(), preset);
    }

    /** The job is queued: its input was moved into the job's folder, so the claim is empty. */
    public void queued(Exchange exchange) throws IOException {
        removeEmpty(exchange.getProperty(CLAIM, Claim.class).dir());
    }

    /**
     * The file cannot become a job: it goes to {@code .failed/} with a note saying why. A refusal for the moment (a
     * store away) is not the file's: it stays in its claim, which the inbox takes back to try again.
     */
    public void refused(Exchange exchange) throws IOException {
        Claim claim = exchange.getProperty(CLAIM, Claim.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (cause instanceof Refusal refusal && refusal.kind() == Refusal.Kind.UNAVAILABLE) {
            throw refusal; // not the file's doing: its claim returns it to the inbox, to be tried again
        }
        folders.fail(claim.file(), claim.file().getFileName().toString(), cause.getMessage());
        removeEmpty(claim.dir());
    }

    /**
     * Returns to the inbox what a dead process had claimed: this instance's claims from before it started, and any
     * claim whose time this instance has seen stand still for the claim timeout (see {@link LeftClaims}).
     */
    public void recover() throws IOException {
        left.recover(claims(), acting);
    }

    /**
     * Removes a claim's folders, which its file has left: never a file. One found there is not this claim's to remove
     * (a file another process gave back to it, having taken this process for dead), and the claim stays for the inbox
     * to take it back ({@link LeftClaims}) once nothing touches it.
     */
    private void removeEmpty(Path dir) throws IOException {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)
            && !LinkFreePaths.deleteFolders(inbox, inbox.relativize(dir))) {
            LOG.warn("Claim {} holds a file put back after this process took it: the inbox takes it back",
                    dir.getFileName());
        }
    }
}
