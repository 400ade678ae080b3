package io.interestfl.simulations.evaluation;

import io.interestfl.interest.data.HeldOutBasket;
import io.interestfl.interest.evaluation.CaseScorer;
import io.interestfl.interest.evaluation.RepeatExploreScorer;
import io.interestfl.interest.evaluation.RepeatRate;
import io.interestfl.interest.model.InterestModel;
import java.util.List;

/**
 * The interest model as the evaluation scores it: its network inside the repeat/explore head
 * ({@link RepeatExploreScorer}: per customer and step, rebuy from the own history or explore the catalogue), the gate
 * chosen on validation. The {@code alone}, {@code centralized} and {@code federated} rows are this; the
 * {@code *-network} rows are the network alone.
 */
final class RepeatHead {
  private RepeatHead() {}

  /** The head's gate for {@code m}, chosen on {@code validation} ({@code Gate.PLAIN} without it), and its score. */
  static RepeatExploreScorer.Choice choose(InterestModel m, RepeatRate rate, List<HeldOutBasket> validation, int c) {
    return RepeatExploreScorer.chooseScored(CaseScorer.ofTimed(m::score), rate, validation, c);
  }
}
