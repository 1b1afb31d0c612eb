package dev.chainrule.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what a {@link System.Logger} logs, through the default JDK backend
 * ({@code java.util.logging}, which {@code System.getLogger} uses when no other is installed).
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final Handler handler;
    private final Level previousLevel;
    private final boolean previousUseParent;
    private final List<LogRecord> records = new ArrayList<>();

    private LogCapture(String name) {
        logger = Logger.getLogger(name);
        previousLevel = logger.getLevel();
        previousUseParent = logger.getUseParentHandlers();
        logger.setLevel(Level.ALL);
        logger.setUseParentHandlers(false);
        handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (records) {
                    records.add(record);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(handler);
    }

    /** Starts capturing the logger named {@code name} (a class name, for the runtime's loggers). */
    public static LogCapture of(String name) {
        return new LogCapture(name);
    }

    /** The messages logged at WARNING or above, formatted. */
    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        synchronized (records) {
            for (LogRecord r : records) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    out.add(new java.util.logging.SimpleFormatter().formatMessage(r));
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(previousLevel);
        logger.setUseParentHandlers(previousUseParent);
    }
}
