package io.interestfl.privacy.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.privacy.accounting.EpsilonConversion;
import io.interestfl.privacy.accounting.PrivacyMechanism;
import io.interestfl.privacy.accounting.RdpAccountant;
import io.interestfl.privacy.accounting.SubsampledGaussian;
import io.interestfl.privacy.accounting.ZcdpMechanism;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivacyLedgerTest {

    private static final PrivacyBudget BUDGET = new PrivacyBudget(3.0, 1e-5);
    /** One DP-FedAvg round: 10% of clients sampled, noise multiplier 1.5, one aggregation step. */
    private static final PrivacyMechanism ROUND = SubsampledGaussian.oneStep(0.1, 1.5);

    @TempDir
    Path dir;

    @Test
    void spendsUntilTheBudgetThenRefuses() throws IOException {
        Path file = dir.resolve("ledger.txt");
        try (PrivacyLedger ledger = PrivacyLedger.open(file, BUDGET)) {
            assertEquals(0.0, ledger.epsilon());
            int round = 0;
            while (ledger.canSpend(ROUND)) {
                LedgerEntry e = ledger.spend(round++, ROUND);
                assertEquals(ledger.epsilon(), e.epsilonAfter(), 0.0);
            }
            assertTrue(round > 10, "a 3.0 budget allows about 50 rounds, got " + round);
            double before = ledger.epsilon();
            assertTrue(before <= 3.0);
            long bytes = Files.size(file);
            final int refusedRound = round;
            PrivacyBudgetExceededException ex = assertThrows(PrivacyBudgetExceededException.class,
                    () -> ledger.spend(refusedRound, ROUND));
            assertEquals(before, ex.currentEpsilon(), 0.0);
            assertTrue(ex.epsilonAfter() > 3.0);
            assertEquals(BUDGET, ex.budget());
            assertTrue(ex.getMessage().contains("from " + before) && ex.getMessage().contains("to " + ex.epsilonAfter())
                    && ex.getMessage().contains("budget is epsilon 3.0"), ex.getMessage());
            assertEquals(bytes, Files.size(file), "a refused round records nothing");
            assertEquals(before, ledger.epsilon(), 0.0);
            // The ledger equals a fresh accountant over the same mechanisms.
            double expected = RdpAccountant.epsilon(0.1, 1.5, round, 1e-5, EpsilonConversion.IMPROVED).epsilon();
            assertEquals(expected, ledger.epsilon(), 1e-9);
        }
    }

    @Test
    void reloadAfterRestartGivesTheSameEpsilon() throws IOException {
        Path file = dir.resolve("ledger.txt");
        double eps;
        List<LedgerEntry> entries;
        try (PrivacyLedger ledger = PrivacyLedger.open(file, BUDGET)) {
            ledger.spend(1, ROUND);
            ledger.spend(2, new SubsampledGaussian(0.01, 1.3, 250));
            ledger.spend(3, new ZcdpMechanism(0.0123456789));
            ledger.spend(3, ROUND); // a re-run round is charged again
            eps = ledger.epsilon();
            entries = ledger.entries();
        }
        try (PrivacyLedger again = PrivacyLedger.open(file, BUDGET)) {
            assertFalse(again.discardedTornLine());
            assertEquals(eps, again.epsilon(), 0.0, "bit-identical epsilon after restart");
            assertEquals(entries, again.entries());
        }
    }

    @Test
    void tornLastLineIsIgnoredAndCutOff() throws IOException {
        Path file = dir.resolve("ledger.txt");
        double eps;
        try (PrivacyLedger ledger = PrivacyLedger.open(file, BUDGET)) {
            ledger.spend(1, ROUND);
            ledger.spend(2, ROUND);
            eps = ledger.epsilon();
        }
        long goodSize = Files.size(file);
        // A crash half-way through appending round 3: a prefix of a valid line, no newline.
        String full = LedgerLineFormat.format(new LedgerEntry(3, java.time.Instant.now(), ROUND, 9.0)) + "\n";
        Files.write(file, full.substring(0, full.length() / 2).getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);
        try (PrivacyLedger ledger = PrivacyLedger.open(file, BUDGET)) {
            assertTrue(ledger.discardedTornLine());
            assertEquals(eps, ledger.epsilon(), 0.0);
            assertEquals(2, ledger.entries().size());
            assertEquals(goodSize, Files.size(file), "the torn bytes are truncated");
            ledger.spend(3, ROUND);
        }
        try (PrivacyLedger ledger = PrivacyLedger.open(file, BUDGET)) {
            assertFalse(ledger.discardedTornLine(), "appending after recovery leaves a clean file");
            assertEquals(3, ledger.entries().size());
        }
        // NUL fill from a crash (file length extended, data never written) is torn too.
        Files.write(file, new byte[64], StandardOpenOption.APPEND);
        try (PrivacyLedger ledger = PrivacyLedger.open(file, BUDGET)) {
            assertTrue(ledger.discardedTornLine());
            assertEquals(3, ledger.entries().size());
        }
    }

    @Test
    void corruptMiddleLineNamesFileAndLine() throws IOException {
        Path file = dir.resolve("ledger.txt");
        try (PrivacyLedger ledger = PrivacyLedger.open(file, BUDGET)) {
            for (int r = 1; r <= 3; r++) {
                ledger.spend(r, ROUND);
            }
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        // Line 3 (round 2): change the noise multiplier without fixing the CRC.
        lines.set(2, lines.get(2).replace(" z=1.5 ", " z=9.0 "));
        Files.write(file, lines);
        LedgerCorruptedException e = assertThrows(LedgerCorruptedException.class,
                () -> PrivacyLedger.open(file, BUDGET));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith("privacy ledger " + file.toAbsolutePath() + " line 3: crc32 mismatch"),
                e.getMessage());
        // A complete but malformed last line is corruption, not a torn write.
        lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(2, lines.get(2).replace(" z=9.0 ", " z=1.5 "));
        lines.set(3, "v1 round=3 garbage");
        Files.write(file, lines);
        e = assertThrows(LedgerCorruptedException.class, () -> PrivacyLedger.open(file, BUDGET));
        assertEquals(4, e.line());
        // The file is left untouched for an operator to inspect, and unlocked.
        assertEquals(lines, Files.readAllLines(file));
    }

    @Test
    void strictParsingOfFields() {
        String good = LedgerLineFormat.format(new LedgerEntry(7, java.time.Instant.parse("2026-11-23T13:00:00Z"),
                new SubsampledGaussian(0.01, 1.1, 100), 0.5));
        assertEquals("v1 round=7 time=2026-11-23T13:00:00Z mechanism=subsampled_gaussian q=0.01 z=1.1 steps=100"
                + " epsilon=0.5 crc32=" + LedgerLineFormat.crc(good.substring(0, good.indexOf(" crc32="))), good);
        assertEquals(new SubsampledGaussian(0.01, 1.1, 100), LedgerLineFormat.parse(good).mechanism());
        assertThrows(IllegalArgumentException.class, () -> LedgerLineFormat.parse(good.substring(0, good.indexOf(" crc32="))));
        for (String bad : new String[] {
            "v1 round=7 time=2026-11-23T13:00:00Z mechanism=subsampled_gaussian q=0.01 z=1.1 steps=1e2 epsilon=0.5",
            "v1 round=7 time=2026-11-23T13:00:00Z mechanism=subsampled_gaussian q=0.01 z=1.1  steps=100 epsilon=0.5",
            "v1 round=7 time=2026-11-23T13:00:00Z mechanism=subsampled_gaussian q=NaN z=1.1 steps=100 epsilon=0.5",
            "v1 round=-7 time=2026-11-23T13:00:00Z mechanism=zcdp rho=0.5 epsilon=0.5",
            "v1 round=7 time=yesterday mechanism=zcdp rho=0.5 epsilon=0.5",
            "v1 round=7 time=2026-11-23T13:00:00Z mechanism=laplace b=0.5 epsilon=0.5",
            "v1 round=7 time=2026-11-23T13:00:00Z mechanism=zcdp rho=0.5 epsilon=0.5 extra=1",
            "v1 round=7 time=2026-11-23T13:00:00Z mechanism=subsampled_gaussian q=1.5 z=1.1 steps=100 epsilon=0.5",
        }) {
            String line = bad + " crc32=" + LedgerLineFormat.crc(bad);
            assertThrows(IllegalArgumentException.class, () -> LedgerLineFormat.parse(line), line);
        }
    }

    @Test
    void oneLedgerPerFile() throws IOException {
        Path file = dir.resolve("ledger.txt");
        try (PrivacyLedger ledger = PrivacyLedger.open(file, BUDGET)) {
            IOException e = assertThrows(IOException.class, () -> PrivacyLedger.open(file, BUDGET));
            assertTrue(e.getMessage().contains("already open"), e.getMessage());
            ledger.spend(1, ROUND);
        }
    }

    @Test
    void budgetValidation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PrivacyBudget(0, 1e-5));
        assertEquals("budget epsilon must be finite and > 0, got 0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PrivacyBudget(1, 1));
        assertEquals("budget delta must be in (0, 1), got 1.0", e.getMessage());
    }
}
