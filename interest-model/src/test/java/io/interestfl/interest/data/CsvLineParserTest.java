package io.interestfl.interest.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CsvLineParserTest {
    private final CsvLineParser p = new CsvLineParser();

    @Test
    void plainQuotedAndEmptyFields() throws Exception {
        assertEquals(List.of("a", "b", "c"), p.parse("a,b,c"));
        assertEquals(List.of("a", "x, y", "c"), p.parse("a,\"x, y\",c"));
        assertEquals(List.of("say \"hi\"", ""), p.parse("\"say \"\"hi\"\"\","));
        assertEquals(List.of("", "", ""), p.parse(",,"));
        assertEquals(List.of(""), p.parse(""));
        assertEquals(List.of("", "b"), p.parse("\"\",b"));
        assertEquals(List.of("\""), p.parse("\"\"\"\""));
        assertEquals(List.of("trailing space ", "£5"), p.parse("\"trailing space \",£5"));
    }

    @Test
    void unterminatedQuoteNamesTheField() {
        CsvLineParser.CsvSyntaxException e = assertThrows(CsvLineParser.CsvSyntaxException.class,
                () -> p.parse("a,\"open, never closed"));
        assertEquals(1, e.fieldIndex());
        assertEquals("unterminated quoted field", e.getMessage());
    }

    @Test
    void strayQuotesAreErrors() {
        CsvLineParser.CsvSyntaxException e = assertThrows(CsvLineParser.CsvSyntaxException.class,
                () -> p.parse("a,b\"c,d"));
        assertEquals(1, e.fieldIndex());
        e = assertThrows(CsvLineParser.CsvSyntaxException.class, () -> p.parse("a,b,\"c\"x"));
        assertEquals(2, e.fieldIndex());
    }
}
