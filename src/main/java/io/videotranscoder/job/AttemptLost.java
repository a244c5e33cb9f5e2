package io.videotranscoder.job;

/**
 * The attempt no longer holds its job: another worker took it over (this one paused past its lease). Whatever the
 * attempt was about to write was refused; it must stop without storing, publishing or acknowledging anything.
 */
public class AttemptLost extends RuntimeException {

    public AttemptLost(String id, String attempt) {
        super("Attempt " + attempt + " of job " + id + " no longer holds the job: another worker took it over");
    }
}
