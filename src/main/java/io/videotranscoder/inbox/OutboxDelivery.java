package io.videotranscoder.inbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

import io.videotranscoder.job.EndedClaims;
import io.videotranscoder.job.EndedClaims.Claim;
import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobStore;
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
 * a result, and a delivery cut short (a process killed) is finished by the next one: a claimed copy not moved yet is
 * moved, an unclaimed one made again (housekeeping removes the one left behind).
 */
final class OutboxDelivery {

    /** The job's field that names where its result went. */
    static final String DELIVERED = "deliveredTo";
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
        if (standing.state() != EndedClaims.State.OPEN) {
            return finished(job, standing);
        }
        Files.createDirectories(outbox);
        Path copy = StagedMoves.stagedName(outbox);
        String copyName = copy.getFileName().toString();
        try {
            copyOutputs(job, copy);
            UniqueNames.Name stem = UniqueNames.Name.of(displayName);
            String ext = job.outputs().size() == 1 ? extension(job.outputs().get(0).name()) : "";
            UniqueNames.place(outbox, new UniqueNames.Name(stem.stem(), "-" + job.preset().name(), ext),
                    UniqueNames.MAX_NAME_BYTES, target -> {
                        if (claims.claim(job.id(), DELIVERED, target.toString(), copyName).recordedBy(copyName)) {
                            UniqueNames.moveNew(copy, target);
                        }
                    });
        } catch (IOException | RuntimeException e) {
            EndedClaims.State now = e instanceof JedisException ? null : claims.current(job.id(), DELIVERED).state();
            if (now != EndedClaims.State.RECORDED && now != EndedClaims.State.GONE) {
                try {
                    remove(copy);
                } catch (IOException notRemoved) {
                    e.addSuppressed(notRemoved);
                }
                throw e;
            }
            // another delivery's claim stands, or the job's remover delivered it: this one's failure (its source
            // removed, its copy moved) is moot
        }
        Claim claim = claims.current(job.id(), DELIVERED);
        if (!claim.recordedBy(copyName)) {
            remove(copy);
        }
        return finished(job, claim);
    }

    /** The result of the claim that stands, its copy moved into place if the delivery that claimed it was cut short. */
    private Optional<Path> finished(Job job, Claim claim) throws IOException {
        switch (claim.state()) {
            case GONE -> {
                return Optional.empty(); // whoever removed it delivered it first
            }
            case RECORDED -> { }
            default -> throw new IOException("the job runs again: its result is not delivered");
        }
        Path target = Path.of(claim.value());
        Path claimed = outbox.resolve(claim.by().isEmpty() ? FIRST_COPY + job.id() : claim.by());
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS) && Files.exists(claimed, LinkOption.NOFOLLOW_LINKS)) {
            try {
                UniqueNames.moveNew(claimed, target);
            } catch (NoSuchFileException movedMeanwhile) {
                // by the delivery that claimed it
            }
        }
        return Optional.of(target);
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
