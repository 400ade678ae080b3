package io.interestfl.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

class LoggingTest {
  @Test
  void aRecordIsOneLineOfTimeLevelLoggerAndMessage() {
    Logging.oneLinePerRecord();
    LogRecord record = new LogRecord(Level.INFO, "round 3 committed");
    record.setLoggerName("io.interestfl.coordinator.round.RoundController");
    record.setInstant(Instant.parse("2024-01-02T13:05:12Z"));
    String time = LocalTime.ofInstant(record.getInstant(), ZoneId.systemDefault())
        .format(DateTimeFormatter.ofPattern("HH:mm:ss"));
    assertEquals(time + " INFO io.interestfl.coordinator.round.RoundController: round 3 committed"
        + System.lineSeparator(), new SimpleFormatter().format(record));
  }
}
