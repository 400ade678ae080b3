package io.interestfl.interest.data;

import org.junit.jupiter.api.Test;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimestampFormatTest {
    private static TimestampFormat of(String spec, ZoneId zone) {
        List<String> problems = new ArrayList<>();
        TimestampFormat f = TimestampFormat.of(spec, zone, problems);
        assertTrue(problems.isEmpty(), problems.toString());
        return f;
    }

    @Test
    void autoTellsSecondsFromMillisAndFallsBackToIso() {
        TimestampFormat auto = of(null, ZoneOffset.UTC);
        assertEquals("auto", auto.spec());
        assertEquals(1709287200000L, auto.millis("1709287200"));
        assertEquals(1709287200123L, auto.millis("1709287200123"));
        assertEquals(1709287200000L, auto.millis("2024-03-01 10:00:00"));
        assertEquals("'-5' is not a timestamp of the form auto",
                assertThrows(IllegalArgumentException.class, () -> auto.millis("-5")).getMessage());
        assertEquals(-5000L, of("seconds", ZoneOffset.UTC).millis(" -5 "));
    }

    @Test
    void patternsReadLocalTimesInTheZone() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        assertEquals(1709283600000L, of("pattern:dd.MM.yyyy HH:mm", berlin).millis("01.03.2024 10:00"));
        assertEquals(1709247600000L, of("pattern:dd.MM.yyyy", berlin).millis("01.03.2024"));
    }

    @Test
    void anUnknownFormIsReportedAsAProblem() {
        List<String> problems = new ArrayList<>();
        TimestampFormat.of(" weeks ", ZoneOffset.UTC, problems);
        assertEquals(List.of("timestamp format must be seconds, millis, iso, auto or pattern:<pattern>, got 'weeks'"),
                problems);
    }

    @Test
    void onlineRetailDatesAreLondonWallClockInEitherForm() {
        assertEquals(1291191960L, OnlineRetailDates.iso("2010-12-01 08:26:00"));
        assertEquals(1291191960L, OnlineRetailDates.us("12/1/2010 8:26"));
        assertEquals(OnlineRetailDates.us("10/31/2010 1:30:00"), OnlineRetailDates.iso("2010-10-31 01:30:00"));
        assertEquals(1288485000L, OnlineRetailDates.iso("2010-10-31 01:30:00"), "ambiguous hour: earlier offset (BST)");
        for (String bad : new String[]{"2010-12-01T08:26:00", "2010-13-01 08:26:00", "2010-12-01 8:26:00"}) {
            assertThrows(DateTimeException.class, () -> OnlineRetailDates.iso(bad), bad);
        }
        for (String bad : new String[]{"12/1/10 8:26", "12/1/2010", "12//2010 8:26", "12/1/2010 8:26:"}) {
            assertThrows(DateTimeException.class, () -> OnlineRetailDates.us(bad), bad);
        }
    }
}
