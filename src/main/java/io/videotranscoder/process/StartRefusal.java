package io.videotranscoder.process;

/**
 * The service cannot start on this machine as it is set up, and the message says what to change: logged as that one
 * line, without a stack trace, since it is a fact for the operator to act on rather than a fault of the program.
 */
public class StartRefusal extends IllegalStateException {

    public StartRefusal(String message) {
        super(message);
    }
}
