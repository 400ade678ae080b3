package io.interestfl.serving;

import java.io.PrintStream;

/**
 * Where a command with {@code --json} prints: with {@code --json} the JSON document alone goes to the real standard
 * output and everything else goes to standard error, progress lines and what libraries print to {@code System.out}
 * unasked (SameDiff's "Added differentiated op ..." lines) alike, so that stdout parses; without it both go to
 * standard output. Open it around a command's work, print the result to {@link #document()}, and close it.
 * {@code System.out} is process-wide: one open JsonOutput at a time.
 */
public final class JsonOutput implements AutoCloseable {
    /** The one help line of every command's {@code --json} option. */
    public static final String HELP = "Print the result as JSON on standard output; progress and log lines go to "
            + "standard error.";

    private final PrintStream stdout;
    private final boolean json;

    private JsonOutput(PrintStream stdout, boolean json) {
        this.stdout = stdout;
        this.json = json;
    }

    /** With {@code json}, {@code System.out} is standard error until {@link #close()}; without it nothing changes. */
    public static JsonOutput open(boolean json) {
        JsonOutput output = new JsonOutput(System.out, json);
        if (json) {
            System.setOut(System.err);
        }
        return output;
    }

    /** The standard output the command started with: the result goes here, as JSON or as text. */
    public PrintStream document() {
        return stdout;
    }

    /** Progress lines: standard error with {@code --json}, standard output without. */
    public PrintStream progress() {
        return json ? System.err : stdout;
    }

    /** Puts back the standard output the command started with. */
    @Override
    public void close() {
        System.setOut(stdout);
    }
}
