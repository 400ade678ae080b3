package io.interestfl.coordinator.privacy;

import io.interestfl.privacy.accounting.PrivacyMechanism;
import io.interestfl.privacy.accounting.PrivacySpent;
import io.interestfl.privacy.budget.PrivacyBudget;
import io.interestfl.privacy.budget.PrivacyLedger;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The federation's append-only {@link PrivacyLedger} as the gate needs it: may one more round of a
 * mechanism run, record a round durably, and what is spent.
 */
final class RoundLedger implements AutoCloseable {
  private final PrivacyLedger ledger;

  RoundLedger(Path file, PrivacyBudget budget) {
    try {
      this.ledger = PrivacyLedger.open(file, budget);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open privacy ledger " + file, e);
    }
  }

  /** Null when one more round of {@code mechanism} fits the budget; otherwise why not. */
  String refusal(PrivacyMechanism mechanism) {
    if (ledger.canSpend(mechanism)) {
      return null;
    }
    return String.format("privacy budget exhausted: epsilon %.4f spent, the next round would reach %.4f > budget %.4f (delta %s)",
        ledger.epsilon(), ledger.epsilonIfSpent(mechanism).epsilon(), ledger.budget().epsilon(), ledger.budget().delta());
  }

  /**
   * Records the round durably; throws {@code PrivacyBudgetExceededException} without recording when
   * the budget would be exceeded.
   */
  void spend(long roundId, PrivacyMechanism mechanism) {
    try {
      ledger.spend(roundId, mechanism);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record round " + roundId + " in the privacy ledger", e);
    }
  }

  PrivacySpent spent() {
    return ledger.spent();
  }

  double delta() {
    return ledger.budget().delta();
  }

  /** {@code head} followed by what is spent, the budget and the ledger file. */
  JsonObject status(JsonObject head) {
    return head
        .put("epsilon", ledger.spent().epsilon())
        .put("delta", ledger.budget().delta())
        .put("budgetEpsilon", ledger.budget().epsilon())
        .put("roundsRecorded", ledger.entries().size())
        .put("ledger", ledger.file().toString());
  }

  @Override
  public void close() throws IOException {
    ledger.close();
  }
}
