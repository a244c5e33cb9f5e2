package io.videotranscoder.inbox;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;

import io.videotranscoder.preset.PresetCatalog;
import io.videotranscoder.refusal.Refusal;
import io.videotranscoder.support.LogCapture;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

/** Claims of inbox files, and the recovery of claims left behind. */
class InboxClaimsTest {

    @TempDir
    Path inbox;

    /**
     * A claim this process still acts on, older than the claim timeout (a large file copied into a job's folder
     * across mounts), is not taken back into the inbox; once its exchange has ended, a claim left behind is.
     */
    @Test
    void a_claim_still_acted_on_is_never_taken_back_and_one_left_behind_is() throws Exception {
        InboxClaims claims = instance("api-1", 1_000);
        Exchange exchange = claimedBig(claims);
        InboxClaims.Claim claim = exchange.getProperty(InboxClaims.CLAIM, InboxClaims.Claim.class);
        Files.setLastModifiedTime(claim.dir(), FileTime.from(Instant.now().minusSeconds(60)));
        claims.recover();

        assertTrue(Files.exists(claim.file()), "still claimed");
        assertFalse(Files.exists(inbox.resolve("big.mp4")), "not in the inbox, where it would be claimed again");

        exchange.getExchangeExtension().handoverCompletions().forEach(done -> done.onFailure(exchange));
        claims.recover();

        assertEquals("a large file", Files.readString(inbox.resolve("big.mp4")));
    }

    /**
     * Another instance on the same inbox does not take back a claim this one still acts on, however long the act lasts:
     * the claim is touched every third of the claim timeout. Once the act is over, a claim left behind goes back.
     */
    @Test
    void another_instance_leaves_a_claim_in_use_alone() throws Exception {
        InboxClaims other = instance("api-2", 300);
        Exchange exchange = claimedBig(instance("api-1", 300));
        InboxClaims.Claim claim = exchange.getProperty(InboxClaims.CLAIM, InboxClaims.Claim.class);

        // Three claim timeouts of a copy across mounts, the other instance looking all the while.
        await().during(Duration.ofMillis(900)).atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    other.recover();
                    return Files.exists(claim.file());
                });
        assertFalse(Files.exists(inbox.resolve("big.mp4")), "not in the inbox, where it would be claimed again");

        exchange.getExchangeExtension().handoverCompletions().forEach(done -> done.onFailure(exchange));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
            other.recover();
            return Files.exists(inbox.resolve("big.mp4"));
        });
    }

    /** Claims left behind that cannot go back (here: their preset folder is now a file) keep no other from going back. */
    @Test
    void a_claim_that_cannot_go_back_keeps_no_other_from_going_back() throws Exception {
        InboxClaims claims = instance("api-1", 1_000);
        Files.writeString(inbox.resolve("h264-480p"), "a file where the preset folder was");
        for (String name : new String[] {"api-2-a", "api-2-b", "api-2-c"}) {
            left(inbox.resolve(".claimed").resolve(name).resolve("h264-480p").resolve("blocked.mp4"));
        }
        left(inbox.resolve(".claimed").resolve("api-2-d").resolve("fine.mp4"));

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
            claims.recover();
            return Files.exists(inbox.resolve("fine.mp4"));
        });
        assertEquals("left", Files.readString(inbox.resolve("fine.mp4")));
    }

    /**
     * Another instance's claim is judged by whether its time changes, never by this host's clock: one touched by a
     * host whose clock is an hour behind stays while it is touched, and goes back once it is not.
     */
    @Test
    void a_claim_touched_by_a_host_whose_clock_is_an_hour_behind_stays_until_it_is_no_longer_touched()
            throws Exception {
        InboxClaims claims = instance("api-1", 300);
        Path claimed = inbox.resolve(".claimed").resolve("api-2-x").resolve("far.mp4");
        left(claimed);
        Instant behind = Instant.now().minus(Duration.ofHours(1));

        for (int touch = 0; touch < 10; touch++) { // a second of touches, every 100 ms
            Files.setLastModifiedTime(claimed.getParent(), FileTime.from(behind.plusMillis(100L * touch)));
            claims.recover();
            assertTrue(Files.exists(claimed), "still claimed at touch " + touch);
            await().pollDelay(Duration.ofMillis(100)).until(() -> true);
        }
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
            claims.recover();
            return Files.exists(inbox.resolve("far.mp4"));
        });
    }

    /**
     * Instance {@code api}, restarted, takes back its own claims from before its start at once, never those of
     * {@code api-2} (whose names also begin with {@code api-}), which are judged as any other instance's: by whether
     * they are still touched.
     */
    @Test
    void a_restarted_instance_takes_back_its_own_claims_not_those_of_one_whose_name_begins_with_its_own()
            throws Exception {
        Path theirs = inbox.resolve(".claimed").resolve("api-2-" + UUID.randomUUID()).resolve("theirs.mp4");
        Path mine = inbox.resolve(".claimed").resolve("api-" + UUID.randomUUID()).resolve("mine.mp4");
        left(theirs);
        left(mine);

        instance("api", 60_000).recover();

        assertEquals("left", Files.readString(inbox.resolve("mine.mp4")));
        assertFalse(Files.exists(mine.getParent()), "its emptied claim folder goes");
        assertTrue(Files.exists(theirs), "api-2's, in use for all this instance knows");
        assertFalse(Files.exists(inbox.resolve("theirs.mp4")));
    }

    /** Java reads file names in the locale's encoding: one that is not UTF-8 is said at the start. */
    @Test
    void a_locale_that_cannot_read_every_file_name_is_said() {
        try (LogCapture log = new LogCapture()) {
            InboxClaims.warnIfNamesUnreadable("UTF-8");
            assertFalse(log.text().contains("LANG=C.UTF-8"));
            InboxClaims.warnIfNamesUnreadable("ANSI_X3.4-1968");
            assertTrue(log.text().contains("File names are read as ANSI_X3.4-1968"), log.text());
            assertTrue(log.text().contains("LANG=C.UTF-8"));
        }
    }

    /** Claims are folders: a file found among them (put there by someone) is no claim, and stays where it is. */
    @Test
    void a_file_among_the_claims_is_left_alone() throws Exception {
        String name = "stray-" + UUID.randomUUID();
        Path stray = Files.writeString(Files.createDirectories(inbox.resolve(".claimed")).resolve(name), "a user's");
        Files.setLastModifiedTime(stray, FileTime.from(Instant.now().minusSeconds(60)));

        instance("api-1", 1_000).recover();

        assertEquals("a user's", Files.readString(stray));
        assertFalse(Files.exists(inbox.getParent().resolve(name)), "never moved out of the inbox");
    }

    /**
     * A refusal for the moment (the object store away, a submission that outlived its note) is not the file's: it
     * stays in its claim, which the inbox takes back to try again, instead of going to {@code .failed/} for good.
     */
    @Test
    void a_file_refused_for_the_moment_stays_in_its_claim() throws Exception {
        InboxClaims claims = instance("api-1", 1_000);
        Exchange exchange = claimedBig(claims);
        InboxClaims.Claim claim = exchange.getProperty(InboxClaims.CLAIM, InboxClaims.Claim.class);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new Refusal(Refusal.Kind.UNAVAILABLE, "Try again.", null));

        assertThrows(Refusal.class, () -> claims.refused(exchange));

        assertEquals("a large file", Files.readString(claim.file()));
        assertFalse(Files.exists(inbox.resolve(".failed")), "nothing refused for good");
    }

    /**
     * A claim whose process was taken for dead (paused for minutes) while it queued the job: another process gave the
     * job's input back to the claim, then the paused one woke and ended its claim. The file stays, for the inbox to
     * take back; the claim's whole folder was removed with it.
     */
    @Test
    void a_file_put_back_into_a_claim_stays_when_the_claim_ends() throws Exception {
        InboxClaims claims = instance("api-1", 1_000);
        Exchange exchange = claimedBig(claims);
        InboxClaims.Claim claim = exchange.getProperty(InboxClaims.CLAIM, InboxClaims.Claim.class);
        Files.delete(claim.file()); // into the job's folder
        Files.writeString(claim.file(), "given back"); // by the other process, which took this one for dead

        claims.queued(exchange);

        assertEquals("given back", Files.readString(claim.file()));
    }

    /** A refused file's note never replaces a file of its name: here a user's own, refused before. */
    @Test
    void a_refused_files_note_never_replaces_a_file_of_its_name() throws Exception {
        InboxClaims claims = instance("api-1", 1_000);
        Path users = Files.writeString(Files.createDirectories(claims.folders().failedDir()).resolve("a.mp4.error.txt"),
                "the user's own file");

        Path failed = claims.folders().fail(Files.writeString(inbox.resolve("a.mp4"), "video"), "a.mp4", "Not a video.");

        assertEquals("the user's own file", Files.readString(users));
        assertEquals("video", Files.readString(failed));
        assertEquals("Not a video.\n", Files.readString(failed.resolveSibling(failed.getFileName() + ".error.txt")));
    }

    /**
     * A folder of the inbox swapped for a link to a folder outside after the poll listed its file (a dropper racing
     * the inbox): the claim takes nothing from where the link points, and the file there stays where it is.
     */
    @Test
    void a_folder_swapped_for_a_link_after_the_poll_leads_the_claim_nowhere() throws Exception {
        Path outside = Files.createDirectories(inbox.resolveSibling(inbox.getFileName() + "-outside"));
        Path elsewhere = Files.writeString(outside.resolve("clip.mp4"), "someone else's file");
        Path folder = Files.createDirectories(inbox.resolve("h264-720p"));
        Exchange exchange = polled(Files.writeString(folder.resolve("clip.mp4"), "dropped"));
        Files.move(folder, inbox.resolve("h264-720p.old"));
        Files.createSymbolicLink(folder, outside);

        instance("api-1", 1_000).claim(exchange);

        assertEquals(null, exchange.getProperty(InboxClaims.CLAIM), "nothing claimed");
        assertEquals("someone else's file", Files.readString(elsewhere), "left where it is");
        assertEquals("dropped", Files.readString(inbox.resolve("h264-720p.old").resolve("clip.mp4")));
    }

    /**
     * A claim left behind whose folder in the inbox became a link meanwhile: it goes to {@code .failed/} with a note,
     * never through the link into the folder it points to.
     */
    @Test
    void a_claim_whose_folder_became_a_link_goes_to_failed_not_through_the_link() throws Exception {
        Path outside = Files.createDirectories(inbox.resolveSibling(inbox.getFileName() + "-elsewhere"));
        left(inbox.resolve(".claimed").resolve("api-1-" + UUID.randomUUID()).resolve("h264-720p").resolve("a.mp4"));
        Files.createSymbolicLink(inbox.resolve("h264-720p"), outside);

        instance("api-1", 1_000).recover();

        try (var written = Files.list(outside)) {
            assertEquals(0, written.count(), "nothing put through the link");
        }
        assertEquals("left", Files.readString(inbox.resolve(".failed").resolve("a.mp4")));
        assertTrue(Files.readString(inbox.resolve(".failed").resolve("a.mp4.error.txt")).contains("became a link"));
    }

    /** A claimed file left behind by a process that stopped a minute ago. */
    private static void left(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "left");
        for (Path dir = file.getParent(); !dir.getFileName().toString().equals(".claimed"); dir = dir.getParent()) {
            Files.setLastModifiedTime(dir, FileTime.from(Instant.now().minusSeconds(60)));
        }
    }

    private InboxClaims instance(String name, long claimTimeoutMillis) {
        return new InboxClaims(inbox, mock(PresetCatalog.class), name, claimTimeoutMillis, Clock.systemUTC(),
                Executors.newSingleThreadScheduledExecutor());
    }

    /** {@code big.mp4}, dropped into the inbox and claimed by {@code claims}: the exchange that holds the claim. */
    private Exchange claimedBig(InboxClaims claims) throws Exception {
        Files.writeString(inbox.resolve("big.mp4"), "a large file");
        Exchange exchange = polled(inbox.resolve("big.mp4"));
        claims.claim(exchange);
        return exchange;
    }

    private static Exchange polled(Path file) {
        GenericFile<File> polled = new GenericFile<>();
        polled.setAbsoluteFilePath(file.toString());
        polled.setRelativeFilePath(file.getFileName().toString());
        polled.setFile(file.toFile());
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setBody(polled);
        return exchange;
    }
}
