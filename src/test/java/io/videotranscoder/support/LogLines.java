package io.videotranscoder.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** The log lines this JVM writes while it is attached, as {@code LEVEL logger-simple-name message}. */
public final class LogLines extends AbstractAppender implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    private LogLines() {
        super("test-lines", null, null, true, Property.EMPTY_ARRAY);
    }

    public static LogLines attach() {
        LogLines appender = new LogLines();
        appender.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().addAppender(appender, Level.INFO, null);
        context.updateLoggers();
        return appender;
    }

    @Override
    public void append(LogEvent event) {
        String name = event.getLoggerName();
        lines.add(event.getLevel() + " " + name.substring(name.lastIndexOf('.') + 1) + " "
                  + event.getMessage().getFormattedMessage() + (event.getThrown() != null ? " [stack trace]" : ""));
    }

    /** The lines of {@code level} or above written by the logger of {@code simpleName}. */
    public List<String> of(String simpleName, Level level) {
        return lines.stream().filter(line -> line.split(" ", 3)[1].equals(simpleName))
                .filter(line -> Level.valueOf(line.split(" ", 2)[0]).isMoreSpecificThan(level)).toList();
    }

    /** Every WARN or ERROR line, of any logger. */
    public List<String> problems() {
        return lines.stream().filter(line -> line.startsWith("WARN") || line.startsWith("ERROR")).toList();
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(getName());
        context.updateLoggers();
        stop();
    }
}
