package io.interestfl.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JsonOutputTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    @Test
    void withJsonOnlyTheDocumentReachesStdoutAndStdoutComesBack() {
        PrintStream stdout = System.out;
        try (JsonOutput output = JsonOutput.open(true)) {
            System.out.println("Added differentiated op gru");
            output.progress().println("round 1");
            output.document().println("{}");
        }
        assertSame(stdout, System.out);
        assertEquals("{}\n", out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
        assertEquals("Added differentiated op gru\nround 1\n",
                err.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }

    @Test
    void withoutJsonEverythingStaysOnStdout() {
        try (JsonOutput output = JsonOutput.open(false)) {
            System.out.println("a");
            output.progress().println("b");
            output.document().println("c");
        }
        assertEquals("a\nb\nc\n", out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }
}
