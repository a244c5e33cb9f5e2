package io.videotranscoder.http;

/** A request the service refuses, answered as RFC 9457 problem JSON with {@link #status()}. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final String field;

    public ProblemException(int status, String title, String detail, String field) {
        super(detail);
        this.status = status;
        this.title = title;
        this.field = field;
    }

    public static ProblemException badField(String field, String detail) {
        return new ProblemException(400, "Invalid field", detail, field);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not found", detail, null);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Wrong state", detail, null);
    }

    public static ProblemException unsupportedMedia(String detail) {
        return new ProblemException(415, "Not a video", detail, "file");
    }

    public static ProblemException unprocessable(String detail, String field) {
        return new ProblemException(422, "Cannot process", detail, field);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String field() {
        return field;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // an answer to a client, not a fault: no stack to record
    }
}
