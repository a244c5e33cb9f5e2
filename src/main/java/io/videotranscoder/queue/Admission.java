package io.videotranscoder.queue;

/**
 * Whether a consumer may take entries now (new ones, its own left from before a restart, and other members' expired
 * ones): a worker short of room for the work leaves them queued, for itself or another member, rather than failing
 * them. The entries it runs already go on.
 */
@FunctionalInterface
public interface Admission {

    /** Why no entry may be taken now, as words for the log that follow "while"; null while they may. */
    String refusal();
}
