package io.interestfl.protocol;

/**
 * The log-line format of every interestfl process (coordinator, client node, the CLI): one line per
 * java.util.logging record, "13:05:12 INFO io.interestfl.coordinator.round.RoundController: round 3
 * committed ...", the stack trace of a thrown exception on the lines after it. Call
 * {@link #oneLinePerRecord()} first thing in {@code main}, before anything logs. DL4J and ND4J log
 * through SLF4J instead, configured by interest-model's simplelogger.properties (warnings only).
 */
public final class Logging {
  /** {@link java.util.logging.SimpleFormatter}'s pattern: time, level, logger name, message, thrown. */
  static final String FORMAT = "%1$tT %4$s %3$s: %5$s%6$s%n";

  private Logging() {}

  public static void oneLinePerRecord() {
    System.setProperty("java.util.logging.SimpleFormatter.format", FORMAT);
  }
}
