package io.videotranscoder.inbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import io.videotranscoder.job.EndedClaims.Claim;
import io.videotranscoder.job.EndedClaims;
import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.storage.NoReplaceMoves;
import io.videotranscoder.storage.StagedMoves;
import io.videotranscoder.storage.Storage;
import io.videotranscoder.storage.UniqueNames;
import org.apache.commons.io.file.PathUtils;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A succeeded inbox job's result in the outbox: one file, or a folder of them (an HLS ladder), named after the
 * original and the preset. Every API process may deliver it at once (the job's end event, a DELETE or the job's
 * expiry in another process, a process resumed after a pause), so each copies under a hidden name of its own (a
 * {@linkplain StagedMoves#stagedName staged name}), then claims the result's name on the job ({@value #DELIVERED}, an
 * {@link EndedClaims claim}, which keeps the copy's name): only the first claim's copy is moved there, every other
 * delivery removes its own. So neither a copy under way nor a second copy ever appears under a name the user reads as
 * a result. Once its copy is moved, the delivery marks its claim {@value #PLACED}. A delivery cut short after its claim
 * (a process killed, Redis's reply lost), its copy still there or removed by housekeeping an hour later, is made again
 * by the next one, in place of that claim: a copy is only ever moved by the delivery that made it, and housekeeping
 * removes the one left behind. A result placed is delivered, there or not: its user may have taken it away.
 */
final class OutboxDelivery {

    /** The job's field that names where its result went. */
    static final String DELIVERED = "deliveredTo";
    /** The claimant of a result whose copy was moved into place. */
    static final String PLACED = "placed";
    /** What a delivery's claimant begins with, before its copy's name (without it: an earlier version's claim). */
    private static final String COPY = "copy:";
    /** The copy of a delivery recorded before claims kept the copy's name. */
    private static final String FIRST_COPY = ".delivering-";

    private final EndedClaims claims;
    private final Storage storage;
    private final Path outbox;

    OutboxDelivery(JobStore store, Storage storage, Path outbox) {
        this.claims = new EndedClaims(store);
        this.storage = storage;
        this.outbox = outbox;
    }

    /** @return where the result is, delivered now or before; empty when the job was removed meanwhile */
    Optional<Path> deliver(Job job, String displayName) throws IOException {
        Claim standing = claims.current(job.id(), DELIVERED);
        if (standing.state() == EndedClaims.State.RECORDED) {
            return placed(job, standing) ? result(standing) : copyAndPlace(job, displayName, standing.by(), false);
        }
        if (standing.state() == EndedClaims.State.OPEN) {
            remove(outbox.resolve(FIRST_COPY + job.id())); // cut short before claims were kept
            return copyAndPlace(job, displayName, null, false);
        }
        return result(standing);
    }

    /**
     * @param stale the claimant whose claim this delivery replaces; null where nothing is recorded
     * @param again whether this is the delivery's second try, after another's claim that was never placed
     */
    private Optional<Path> copyAndPlace(Job job, String displayName, String stale, boolean again) throws IOException {
        Files.createDirectories(outbox);
        Path copy = StagedMoves.stagedName(outbox);
        String claimant = claimant(copy);
        AtomicBoolean placedHere = new AtomicBoolean();
        try {
            copyOutputs(job, copy);
            UniqueNames.Name stem = UniqueNames.Name.of(displayName);
            String ext = job.outputs().size() == 1 ? extension(job.outputs().get(0).name()) : "";
            UniqueNames.place(outbox, new UniqueNames.Name(stem.stem(), "-" + job.preset().name(), ext),
                    UniqueNames.MAX_NAME_BYTES, target -> {
                        if (claims.replace(job.id(), DELIVERED, target.toString(), claimant,
                                stale == null ? claimant : stale).recordedBy(claimant)) {
                            NoReplaceMoves.moveNew(copy, target);
                            placedHere.set(true);
                            claims.replace(job.id(), DELIVERED, target.toString(), PLACED, claimant);
                        }
                    });
        } catch (JedisException redisAway) {
            throw redisAway; // the claim may stand, with this copy: the next delivery finds it unmoved
        } catch (IOException | RuntimeException e) {
            if (!deliveredElsewhere(job, claims.current(job.id(), DELIVERED), claimant)) {
                try {
                    remove(copy);
                } catch (IOException notRemoved) {
                    e.addSuppressed(notRemoved);
                }
                throw e;
            }
            // another delivery placed it, or the job's remover delivered it: this one's failure (its source removed
            // meanwhile) is moot
        }
        Claim claim = claims.current(job.id(), DELIVERED);
        if (!placedHere.get()) {
            remove(copy);
        } else if ("".equals(stale)) {
            remove(outbox.resolve(FIRST_COPY + job.id())); // no sweep knows that name
        }
        if (!placedHere.get() && claim.state() == EndedClaims.State.RECORDED && !placed(job, claim)) {
            // Another delivery claimed the result while this one copied, and has not placed it: cut short (its process
            // killed after its claim), or a moment from its move. Taken for delivered, nothing would deliver it again
            // once the original moved on: it is made again in that claim's place, as deliver does.
            if (again) {
                throw new IOException("another delivery claimed the result and did not place it, twice");
            }
            return copyAndPlace(job, displayName, claim.by(), true);
        }
        return result(claim);
    }

    /** Whether another delivery placed the result (not merely claimed it), or the job's remover delivered it. */
    private boolean deliveredElsewhere(Job job, Claim now, String claimant) {
        if (now.state() == EndedClaims.State.GONE) {
            return true;
        }
        return now.state() == EndedClaims.State.RECORDED && !now.recordedBy(claimant) && placed(job, now);
    }

    private Optional<Path> result(Claim claim) throws IOException {
        return switch (claim.state()) {
            case RECORDED -> Optional.of(Path.of(claim.value()));
            case GONE -> Optional.empty(); // whoever removed it delivered it first
            default -> throw new IOException("the job runs again: its result is not delivered");
        };
    }

    /** The claimant a delivery records: its copy's name. */
    static String claimant(Path copy) {
        return COPY + copy.getFileName();
    }

    /**
     * Whether the claim's copy was moved into place: marked so. A claim without the mark was cut short, before its move
     * (its copy there, or removed by housekeeping an hour later; the name it claimed may even be a user's file, its
     * move then refused) or, rarely, between its move and its mark: it is made again (a result then delivered twice,
     * never lost). An earlier version's record, which had no mark, is placed once its copy is gone and its result is
     * there: without the result, its copy may have been removed by housekeeping before any move (the result then never
     * delivered), which it cannot tell from a result its user took away, so it is delivered again rather than lost.
     */
    private boolean placed(Job job, Claim claim) {
        if (claim.by().equals(PLACED)) {
            return true;
        }
        if (claim.by().startsWith(COPY)) {
            return false;
        }
        String copy = claim.by().isEmpty() ? FIRST_COPY + job.id() : claim.by();
        return !Files.exists(outbox.resolve(copy), LinkOption.NOFOLLOW_LINKS)
                && Files.exists(Path.of(claim.value()), LinkOption.NOFOLLOW_LINKS);
    }

    /** A copy no claim names: this delivery's own, under way nowhere else. */
    private static void remove(Path copy) throws IOException {
        if (Files.exists(copy, LinkOption.NOFOLLOW_LINKS)) {
            PathUtils.delete(copy);
        }
    }

    /** One output as the file itself; several keep their names, in a folder. */
    private void copyOutputs(Job job, Path copy) throws IOException {
        if (job.outputs().size() == 1) {
            storage.copy(job.outputs().get(0).key(job.id()), copy);
            return;
        }
        Files.createDirectory(copy);
        for (Job.Output output : job.outputs()) {
            storage.copy(output.key(job.id()), copy.resolve(output.name()));
        }
    }

    private static String extension(String name) {
        return name.substring(name.lastIndexOf('.'));
    }
}
