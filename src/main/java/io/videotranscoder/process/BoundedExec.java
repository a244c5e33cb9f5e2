package io.videotranscoder.process;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.ExecComponent;
import org.apache.camel.component.exec.ExecDefaultExecutor;
import org.apache.camel.component.exec.ExecEndpoint;
import org.apache.camel.component.exec.ExecException;
import org.apache.camel.component.exec.ExecResult;
import org.apache.camel.component.exec.impl.DefaultExecCommandExecutor;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.PumpStreamHandler;
import org.apache.commons.io.IOUtils;

/**
 * camel-exec's executor, but for what it keeps of a program's output: at most {@value #STDOUT_HEAD} bytes of its
 * standard output (ffprobe's description of a file: a longer one is cut, and no longer reads as JSON) and
 * {@value #STDERR_HEAD} of its standard error, each with their last {@value #TAIL} bytes ({@link BoundedOutput}). The
 * rest is camel-exec's own: the exit values, the timeout, the result or the exception, a failure logged by the caller.
 */
public final class BoundedExec extends DefaultExecCommandExecutor {

    /** The most of a program's standard output kept from its start. */
    public static final int STDOUT_HEAD = 8 << 20;
    /** The most of a program's standard error kept from its start. */
    public static final int STDERR_HEAD = 64 << 10;
    /** The most of each stream kept from its end (the last packet's time, FFmpeg's last complaint). */
    public static final int TAIL = 64 << 10;

    @Override
    public ExecResult execute(ExecCommand command) throws ExecException {
        BoundedOutput out = new BoundedOutput(STDOUT_HEAD, TAIL);
        BoundedOutput err = new BoundedOutput(STDERR_HEAD, TAIL);
        DefaultExecutor executor = prepareDefaultExecutor(command);
        executor.setStreamHandler(new PumpStreamHandler(out, err, command.getInput()));
        try {
            int exit = executor.execute(toCommandLine(command));
            return new ExecResult(command, out.kept(), err.kept(), exit);
        } catch (ExecuteException failed) {
            throw new ExecException("Failed to execute command " + command, out.kept(), err.kept(),
                    failed.getExitValue(), failed);
        } catch (IOException e) {
            int exit = executor instanceof ExecDefaultExecutor exec ? exec.getExitValue() : 0;
            if ("stream closed".equals(String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT))) {
                return new ExecResult(command, out.kept(), err.kept(), exit); // as camel-exec: the input was closed
            }
            throw new ExecException("Unable to execute command " + command, out.kept(), err.kept(), exit, e);
        } finally {
            IOUtils.closeQuietly(command.getInput());
        }
    }

    /** The {@code exec:} component whose every endpoint runs its programs through a {@link BoundedExec}. */
    public static ExecComponent component() {
        BoundedExec executor = new BoundedExec();
        return new ExecComponent() {
            @Override
            protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters)
                    throws Exception {
                ExecEndpoint endpoint = (ExecEndpoint) super.createEndpoint(uri, remaining, parameters);
                endpoint.setCommandExecutor(executor);
                return endpoint;
            }
        };
    }
}
