package io.interestfl.privacy.budget;

import io.interestfl.privacy.accounting.PrivacyMechanism;
import java.time.Instant;

/**
 * One recorded release: which round, when it was recorded, the mechanism it ran, and the total
 * epsilon after it (informational: the ledger recomputes epsilon from the mechanisms on load).
 *
 * @param roundId      the coordinator's round id, >= 0 (a re-run round is charged again)
 * @param recordedAt   when the entry was made durable
 * @param mechanism    what was released
 * @param epsilonAfter total spent epsilon after this entry, at the ledger's delta
 */
public record LedgerEntry(long roundId, Instant recordedAt, PrivacyMechanism mechanism, double epsilonAfter) {
}
