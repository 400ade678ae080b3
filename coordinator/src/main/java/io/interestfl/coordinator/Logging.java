package io.interestfl.coordinator;

/** One log line per record ("13:05:12 INFO RoundController: round 3 committed ..."). */
public final class Logging {
  private Logging() {}

  public static void oneLinePerRecord() {
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %3$s: %5$s%6$s%n");
  }
}
