package io.interestfl.protocol;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Counts, while open, the errors this JVM logs: java.util.logging records at SEVERE (interestfl's own logs) and
 * lines that SLF4J's simple logger (Vert.x, Netty, DL4J) writes to standard error at ERROR, e.g. "Unhandled
 * exception". The fuzz and robustness tests assert it stays at zero. Optionally quiets interestfl's logs below
 * SEVERE meanwhile (an attacker's thousands of refused calls would fill a build log).
 */
public final class LogWatch extends Handler implements AutoCloseable {
  private final AtomicInteger errors = new AtomicInteger();
  private volatile String first;
  private final PrintStream originalErr = System.err;
  private final Logger quieted;
  private final Level quietedLevel;

  private LogWatch(boolean quiet) {
    Logger.getLogger("").addHandler(this);
    quieted = quiet ? Logger.getLogger("io.interestfl") : null;
    quietedLevel = quiet ? quieted.getLevel() : null;
    if (quiet) {
      quieted.setLevel(Level.SEVERE);
    }
    System.setErr(new PrintStream(new LineWatcher(), true, StandardCharsets.UTF_8));
  }

  /** Starts watching; {@code quiet}: interestfl logs only SEVERE until {@link #close}. */
  public static LogWatch start(boolean quiet) {
    return new LogWatch(quiet);
  }

  /** Errors logged since {@link #start}. */
  public int errors() {
    return errors.get();
  }

  /** The first error, for an assertion message; null when there was none. */
  public String first() {
    return first;
  }

  private void error(String text) {
    if (errors.getAndIncrement() == 0) {
      first = text;
    }
  }

  @Override
  public void publish(LogRecord record) {
    if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
      error(record.getLoggerName() + ": " + record.getMessage() + (record.getThrown() == null ? ""
          : " " + record.getThrown()));
    }
  }

  @Override
  public void flush() {
  }

  @Override
  public void close() {
    System.setErr(originalErr);
    Logger.getLogger("").removeHandler(this);
    if (quieted != null) {
      quieted.setLevel(quietedLevel);
    }
  }

  /** Passes standard error through, noting each line that starts with "ERROR". */
  private final class LineWatcher extends OutputStream {
    private final StringBuilder line = new StringBuilder();

    @Override
    public synchronized void write(int b) {
      originalErr.write(b);
      if (b == '\n') {
        if (line.indexOf("ERROR") == 0) {
          error(line.toString());
        }
        line.setLength(0);
      } else if (line.length() < 500) {
        line.append((char) b);
      }
    }

    @Override
    public void flush() {
      originalErr.flush();
    }
  }
}
