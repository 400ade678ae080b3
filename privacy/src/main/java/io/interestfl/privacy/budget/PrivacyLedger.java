package io.interestfl.privacy.budget;

import io.interestfl.privacy.accounting.EpsilonConversion;
import io.interestfl.privacy.accounting.PrivacyMechanism;
import io.interestfl.privacy.accounting.PrivacySpent;
import io.interestfl.privacy.accounting.RdpAccountant;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The durable record of every privacy-consuming release, and the gate that refuses releases
 * beyond the {@link PrivacyBudget}.
 *
 * <p>Protocol for a round: call {@link #spend} with the round's mechanism <em>before</em> the
 * result leaves the process. {@code spend} computes the epsilon the ledger would reach; if it is
 * above the budget it throws {@link PrivacyBudgetExceededException} and records nothing;
 * otherwise it appends one line to the ledger file, forces it to disk ({@code fsync}) and only
 * then returns. A crash at any point therefore either loses an entry whose result was never
 * released, or keeps it. A round that is re-run after a crash is charged again (conservative).
 *
 * <p>File: append-only text, one entry per line in the format of {@link LedgerLineFormat}
 * (fixed fields, CRC-32 per line). On {@link #open} the file is read back: bytes after the last
 * newline are a torn write from a crash and are dropped (with a warning) and cut off the file;
 * any complete line that does not parse or fails its CRC is an error
 * ({@link LedgerCorruptedException} naming the file and line). The file is locked while open, so
 * two ledgers (in one or two processes) cannot append to it at once. Thread-safe.
 */
public final class PrivacyLedger implements Closeable {

    private static final System.Logger LOG = System.getLogger(PrivacyLedger.class.getName());

    private final Path file;
    private final PrivacyBudget budget;
    private final EpsilonConversion conversion;
    private final FileChannel channel;
    private final FileLock lock;
    private final RdpAccountant accountant = new RdpAccountant();
    private final List<LedgerEntry> entries = new ArrayList<>();
    private final boolean discardedTornLine;
    private long size;
    private boolean failed;
    private boolean closed;

    private PrivacyLedger(Path file, PrivacyBudget budget, EpsilonConversion conversion) throws IOException {
        this.file = file;
        this.budget = budget;
        this.conversion = conversion;
        boolean existed = Files.exists(file);
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock acquired;
        try {
            acquired = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            acquired = null;
        }
        if (acquired == null) {
            channel.close();
            throw new IOException("privacy ledger " + file + " is already open (locked by another ledger)");
        }
        this.lock = acquired;
        boolean torn;
        try {
            torn = load(existed);
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
        this.discardedTornLine = torn;
    }

    /** Opens (creating if absent) the ledger at {@code file} with the improved RDP conversion. */
    public static PrivacyLedger open(Path file, PrivacyBudget budget) throws IOException {
        return open(file, budget, EpsilonConversion.IMPROVED);
    }

    /**
     * Opens (creating if absent) the ledger at {@code file}, replaying its entries.
     *
     * @throws LedgerCorruptedException if a line other than a torn last one is malformed
     * @throws IOException              if the file cannot be read, written or locked
     */
    public static PrivacyLedger open(Path file, PrivacyBudget budget, EpsilonConversion conversion)
            throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(conversion, "conversion");
        return new PrivacyLedger(file.toAbsolutePath(), budget, conversion);
    }

    /** True if {@code mechanism} could be spent now without exceeding the budget. */
    public synchronized boolean canSpend(PrivacyMechanism mechanism) {
        return epsilonIfSpent(mechanism).epsilon() <= budget.epsilon();
    }

    /** The (epsilon, delta) the ledger would reach if {@code mechanism} were spent; changes nothing. */
    public synchronized PrivacySpent epsilonIfSpent(PrivacyMechanism mechanism) {
        Objects.requireNonNull(mechanism, "mechanism");
        return accountant.epsilonIfComposed(mechanism, budget.delta(), conversion);
    }

    /**
     * Records that round {@code roundId} releases a result protected by {@code mechanism}; returns
     * once the entry is on disk. Release the result only after this returns.
     *
     * @throws PrivacyBudgetExceededException if the budget would be exceeded (nothing recorded)
     * @throws IOException                    if the entry could not be made durable; the ledger
     *                                        then refuses further spends unless it could undo the
     *                                        partial write
     */
    public synchronized LedgerEntry spend(long roundId, PrivacyMechanism mechanism) throws IOException {
        ensureUsable();
        if (roundId < 0) {
            throw new IllegalArgumentException("round id must be >= 0, got " + roundId);
        }
        PrivacySpent before = spent();
        PrivacySpent after = epsilonIfSpent(mechanism);
        if (!(after.epsilon() <= budget.epsilon())) {
            throw new PrivacyBudgetExceededException(roundId, before.epsilon(), after.epsilon(), budget);
        }
        LedgerEntry entry = new LedgerEntry(roundId, Instant.now(), mechanism, after.epsilon());
        append(LedgerLineFormat.format(entry) + "\n");
        accountant.compose(mechanism);
        entries.add(entry);
        return entry;
    }

    /** Epsilon spent so far, at the budget's delta. */
    public synchronized double epsilon() {
        return spent().epsilon();
    }

    /** (epsilon, delta, best order) spent so far. */
    public synchronized PrivacySpent spent() {
        return accountant.epsilon(budget.delta(), conversion);
    }

    /** Epsilon left before the budget is reached (0 if already at or over it). */
    public synchronized double remainingEpsilon() {
        return Math.max(0.0, budget.epsilon() - epsilon());
    }

    /** The entries recorded so far, oldest first. */
    public synchronized List<LedgerEntry> entries() {
        return Collections.unmodifiableList(new ArrayList<>(entries));
    }

    public PrivacyBudget budget() {
        return budget;
    }

    public EpsilonConversion conversion() {
        return conversion;
    }

    public Path file() {
        return file;
    }

    /** True if opening found and dropped a torn (unterminated) last line. */
    public boolean discardedTornLine() {
        return discardedTornLine;
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    private boolean load(boolean existed) throws IOException {
        long length = channel.size();
        if (length == 0) {
            writeAt(0, LedgerLineFormat.HEADER + "\n");
            channel.force(true);
            size = channel.size();
            if (!existed) {
                syncDirectory();
            }
            return false;
        }
        if (length > Integer.MAX_VALUE - 16) {
            throw new IOException("privacy ledger " + file + " is too large (" + length + " bytes)");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) length);
        while (buf.hasRemaining()) {
            if (channel.read(buf, buf.position()) < 0) {
                break;
            }
        }
        byte[] bytes = buf.array();
        int lastNewline = -1;
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                lastNewline = i;
                break;
            }
        }
        boolean torn = lastNewline != bytes.length - 1;
        if (lastNewline < 0) {
            // Not even the header was completed: a crash while creating the file.
            String partial = new String(bytes, StandardCharsets.UTF_8);
            if (!LedgerLineFormat.HEADER.startsWith(partial)) {
                throw new LedgerCorruptedException(file, 1, "expected header '" + LedgerLineFormat.HEADER + "'");
            }
            LOG.log(System.Logger.Level.WARNING, "privacy ledger {0}: discarding torn header ({1} bytes)",
                    file, bytes.length);
            channel.truncate(0);
            writeAt(0, LedgerLineFormat.HEADER + "\n");
            channel.force(true);
            size = channel.size();
            return true;
        }
        String text = new String(bytes, 0, lastNewline, StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        if (!lines[0].equals(LedgerLineFormat.HEADER)) {
            throw new LedgerCorruptedException(file, 1, "expected header '" + LedgerLineFormat.HEADER
                    + "', got '" + abbreviate(lines[0]) + "'");
        }
        for (int i = 1; i < lines.length; i++) {
            LedgerEntry entry;
            try {
                entry = LedgerLineFormat.parse(lines[i]);
            } catch (IllegalArgumentException e) {
                throw new LedgerCorruptedException(file, i + 1, e.getMessage() + " in '" + abbreviate(lines[i]) + "'");
            }
            accountant.compose(entry.mechanism());
            entries.add(entry);
        }
        if (torn) {
            int tornLine = lines.length + 1;
            LOG.log(System.Logger.Level.WARNING,
                    "privacy ledger {0}: ignoring torn last line {1} ({2} bytes without a newline,"
                            + " left by an interrupted write); truncating it",
                    file, tornLine, bytes.length - lastNewline - 1);
            channel.truncate(lastNewline + 1);
            channel.force(true);
        }
        size = lastNewline + 1;
        double eps = spent().epsilon();
        if (eps > budget.epsilon()) {
            LOG.log(System.Logger.Level.WARNING, "privacy ledger {0}: spent epsilon {1} already exceeds"
                    + " the budget {2}; every further spend will be refused", file, eps, budget.epsilon());
        }
        return torn;
    }

    private void append(String line) throws IOException {
        long before = size;
        try {
            writeAt(before, line);
            channel.force(true);
            size = before + line.getBytes(StandardCharsets.UTF_8).length;
        } catch (IOException e) {
            try {
                channel.truncate(before);
                channel.force(true);
            } catch (IOException undo) {
                failed = true;
                e.addSuppressed(undo);
            }
            throw e;
        }
    }

    private void writeAt(long position, String s) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
        long pos = position;
        while (buf.hasRemaining()) {
            pos += channel.write(buf, pos);
        }
    }

    private void syncDirectory() {
        Path dir = file.getParent();
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some platforms cannot open directories; the file itself is synced.
            LOG.log(System.Logger.Level.DEBUG, "could not fsync directory {0}: {1}", dir, e.getMessage());
        }
    }

    private void ensureUsable() {
        if (closed) {
            throw new IllegalStateException("privacy ledger " + file + " is closed");
        }
        if (failed) {
            throw new IllegalStateException("privacy ledger " + file + " failed to write and could not"
                    + " roll back; reopen it to recover");
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
