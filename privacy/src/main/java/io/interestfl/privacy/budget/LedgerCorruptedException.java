package io.interestfl.privacy.budget;

import java.io.IOException;
import java.nio.file.Path;

/** A ledger file has a malformed line that is not a torn last line; it names the file and line. */
public final class LedgerCorruptedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;

    public LedgerCorruptedException(Path file, int line, String problem) {
        super("privacy ledger " + file + " line " + line + ": " + problem);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    /** 1-based line number of the bad line. */
    public int line() {
        return line;
    }
}
