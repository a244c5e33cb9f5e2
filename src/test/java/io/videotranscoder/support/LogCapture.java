package io.videotranscoder.support;

import java.io.StringWriter;
import java.util.UUID;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;

/** What the service logs while it is open, laid out exactly as the configured console appender lays it out. */
public final class LogCapture implements AutoCloseable {

    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final StringWriter out = new StringWriter();
    private final Appender appender;

    public LogCapture() {
        Appender console = context.getConfiguration().getAppender("console");
        appender = WriterAppender.newBuilder().setName("capture-" + UUID.randomUUID()).setTarget(out)
                .setLayout(console.getLayout()).build();
        appender.start();
        context.getRootLogger().addAppender(appender);
    }

    public synchronized String text() {
        return out.toString();
    }

    @Override
    public void close() {
        context.getRootLogger().removeAppender(appender);
        appender.stop();
    }
}
