package io.videotranscoder.http.tus;

/** A request the tus protocol itself refuses, with the status the protocol names (409, 413, 423). */
class TusError extends RuntimeException {

    private final int status;

    TusError(int status, String detail) {
        super(detail);
        this.status = status;
    }

    int status() {
        return status;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // an answer to a client, not a fault
    }
}
