package io.videotranscoder.job;

/**
 * A split job's parts are gone before its join: counted, they are never encoded again, so the job cannot be joined
 * (its parts removed by hand, or Redis restored to before the job's end, which removed them). The job runs again from
 * its input, once ({@link AttemptEnds#rerun}); the second time it fails at once, saying how to run it again, rather
 * than on every delivery until they run out.
 */
public class PartsGone extends JobFailure {

    /** @param id the job's; a message of its own, so that a route can throw it ({@code throwException}) */
    public PartsGone(String id) {
        super("internal", "The parts of this split job are gone (removed, or Redis lost its record of the job's end), so"
                          + " it cannot be joined: POST /jobs/" + id + "/retry encodes it again from its input.");
    }
}
