package io.interestfl.interest.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.interest.data.CustomerHistory;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DriftCorrectionTest {
  @BeforeAll
  static void threads() {
    InterestModel.configureThreads(1);
  }

  /**
   * A client's first round is plain training and reports its mean gradient at the model it received; in its second
   * round the correction is {@code c - c_i} from the first: with {@code c} = its own gradient (a federation of one)
   * nothing changes, with another {@code c} the round differs from plain training.
   */
  @Test
  void firstRoundIsPlainThenTheCorrectionIsTheFederationsGradientLessTheOwn() {
    List<CustomerHistory> data = InterestModelTest.synthetic(40, 9);
    try (InterestModel plain = InterestModel.create(InterestModelTest.small("lstm"));
         InterestModel client = InterestModel.create(InterestModelTest.small("lstm"))) {
      float[] start = plain.parameters();
      float[] g0 = plain.meanGradient(data);
      DriftCorrection drift = new DriftCorrection();
      drift.train(client, data, 1, new float[start.length]);
      plain.train(data, 1);
      assertArrayEquals(plain.parameters(), client.parameters(), "no correction before a first round");
      assertArrayEquals(g0, drift.ownGradient(), "c_i at the model received");

      // second round from the same start: c = the client's own c_i -> a zero correction
      float[] afterOne = plain.parameters();
      client.setParameters(afterOne);
      plain.setParameters(afterOne);
      float[] g1 = plain.meanGradient(data);
      drift.train(client, data, 1, g0.clone());
      plain.train(data, 1);
      assertArrayEquals(plain.parameters(), client.parameters(), 1e-6f, "c = c_i: nothing to correct");
      assertArrayEquals(g1, drift.ownGradient(), "c_i refreshed at the new model");

      float[] other = g1.clone();
      other[other.length - 3] += 10f;   // the federation's gradient pushes one output bias
      client.setParameters(afterOne);
      plain.setParameters(afterOne);
      drift.train(client, data, 1, other);
      plain.train(data, 1);
      assertTrue(client.parameters()[other.length - 3] < plain.parameters()[other.length - 3] - 0.005,
          "the corrected coordinate descends");

      // the embedding row of an item none of this client's customers had (the last id: synthetic() stays below
      // C - 2) has c_i = 0: under sparse rows a federation's gradient there is not applied, the row stays exactly
      // as received; under a plain mean it is
      int unseen = InterestModelTest.C - 1;   // itemEmb_W [C, E] is stored column-major: row r, column 0 at r
      assertTrue(drift.ownGradient()[unseen] == 0f, "no data, no gradient on the unseen item's row");
      float[] onUnseen = drift.ownGradient().clone();
      onUnseen[unseen] = 10f;
      client.setParameters(afterOne);
      drift.train(client, data, 1, onUnseen, true);
      assertTrue(client.parameters()[unseen] == afterOne[unseen], "unseen row moved: " + client.parameters()[unseen]);
      client.setParameters(afterOne);
      drift.train(client, data, 1, onUnseen, false);
      assertTrue(client.parameters()[unseen] < afterOne[unseen] - 0.001, "plain mean: the row follows c");
      assertThrows(IllegalArgumentException.class, () -> drift.train(client, data, 1, new float[] {1f}));
      drift.train(client, List.of(), 1, other);
      assertNull(drift.ownGradient(), "no example, no gradient to send");
    }
  }
}
