package io.interestfl.interest.data;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RowReaderTest {
    private static RowReader reader(String text, boolean skip) {
        return new RowReader(new BufferedReader(new StringReader(text)), "f.csv", skip);
    }

    @Test
    void numbersLinesFromTheHeaderStripsCrAndSkipsEmptyLines() throws IOException {
        RowReader r = reader("\uFEFFh\r\na\r\n\r\n\nb\n", false);
        assertEquals("h", RowReader.stripBomAndCr(r.firstLine("empty")));
        List<String> seen = new ArrayList<>();
        r.forEachRow((line, no) -> seen.add(no + ":" + line));
        assertEquals(List.of("2:a", "5:b"), seen);
        assertEquals(2, r.rowsRead());
    }

    @Test
    void malformedRowsStopTheLoadOrAreCounted() throws IOException {
        RowReader.Row failOnB = (line, no) -> {
            if (line.equals("b")) {
                throw new MalformedDataException("f.csv", no, null, "bad");
            }
        };
        RowReader strict = reader("h\na\nb\nc\n", false);
        strict.firstLine("empty");
        assertEquals("f.csv line 3: bad", assertThrows(MalformedDataException.class,
                () -> strict.forEachRow(failOnB)).getMessage());
        RowReader lenient = reader("h\na\nb\nc\n", true);
        lenient.firstLine("empty");
        lenient.forEachRow(failOnB);
        assertEquals(3, lenient.rowsRead());
        assertEquals(1, lenient.malformedSkipped());
        assertEquals("f.csv line 1: nothing", assertThrows(MalformedDataException.class,
                () -> reader("", false).firstLine("nothing")).getMessage());
    }

    @Test
    void fieldErrorsNameTheColumnByHeaderOrByNumber() {
        RowReader r = reader("", false);
        RowReader.Columns named = new RowReader.Columns(new String[]{"a", "b"}, 1);
        assertEquals("f.csv line 4, column b: missing (expected 2 fields but found 1)",
                assertThrows(MalformedDataException.class,
                        () -> r.requireFieldCount(List.of("x"), 2, 4, named)).getMessage());
        assertEquals("f.csv line 4, column #3: unexpected extra field (expected 2 fields but found 3)",
                assertThrows(MalformedDataException.class,
                        () -> r.requireFieldCount(List.of("x", "y", "z"), 2, 4, named)).getMessage());
        assertEquals("#2", new RowReader.Columns(null, 0).name(2));
        assertEquals("f.csv line 7, column #0: unterminated quoted field", assertThrows(MalformedDataException.class,
                () -> r.fields(new CsvLineParser(), "\"x", 7, new RowReader.Columns(null, 0))).getMessage());
    }
}
