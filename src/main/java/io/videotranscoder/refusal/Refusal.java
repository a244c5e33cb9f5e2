package io.videotranscoder.refusal;

/**
 * A request the service refuses, said in the core's own words: what kind of refusal, why, and which field it concerns.
 * The HTTP layer turns each kind into a status and problem JSON; the core never names a status.
 */
public class Refusal extends RuntimeException {

    /** Why a request is refused; each kind is one answer of the API. */
    public enum Kind {
        /** A field of the request has a value the service does not take. */
        INVALID_FIELD,
        /** The request names something that does not exist. */
        NOT_FOUND,
        /** What the request names existed, but its files are no longer stored. */
        GONE,
        /** The job is not in a state that allows the request. */
        WRONG_STATE,
        /** The request body is not the form the call takes. */
        UNSUPPORTED_MEDIA_TYPE,
        /** The uploaded file is not a video. */
        NOT_A_VIDEO,
        /** A byte range lies outside the file. */
        OUT_OF_RANGE,
        /** The request is well formed but cannot be carried out here: an empty file, a preset this FFmpeg lacks. */
        CANNOT_PROCESS,
        /** The server is short of disk space. */
        NO_SPACE,
        /** Something the service needs (the object store) cannot be reached now; the request may be sent again. */
        UNAVAILABLE,
        /** The caller has as many jobs queued or running as it may: it may ask again once one has ended. */
        QUOTA_EXCEEDED
    }

    private final Kind kind;
    private final String field;

    public Refusal(Kind kind, String detail, String field) {
        super(detail);
        this.kind = kind;
        this.field = field;
    }

    public static Refusal invalidField(String field, String detail) {
        return new Refusal(Kind.INVALID_FIELD, detail, field);
    }

    public static Refusal notFound(String detail) {
        return new Refusal(Kind.NOT_FOUND, detail, null);
    }

    public static Refusal wrongState(String detail) {
        return new Refusal(Kind.WRONG_STATE, detail, null);
    }

    public static Refusal notAVideo(String detail) {
        return new Refusal(Kind.NOT_A_VIDEO, detail, "file");
    }

    public static Refusal cannotProcess(String detail, String field) {
        return new Refusal(Kind.CANNOT_PROCESS, detail, field);
    }

    public Kind kind() {
        return kind;
    }

    /** The request field the refusal concerns; null when it concerns the request as a whole. */
    public String field() {
        return field;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // an answer to a client, not a fault: no stack to record
    }
}
