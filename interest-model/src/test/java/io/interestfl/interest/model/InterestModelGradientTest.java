package io.interestfl.interest.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.interestfl.interest.data.CustomerHistory;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gradient that customer-level DP-SGD clips and noises must be the true gradient of the mean loss:
 * a central finite difference along a random direction, one parameter block at a time, agrees with it.
 * This caught DL4J 1.0.0-M2.1's SameDiff layers (SelfAttentionLayer) returning twice the gradient for
 * themselves and everything below them; {@link InterestModel#dpBatchGradient} undoes that.
 */
class InterestModelGradientTest {

  @BeforeAll
  static void threads() {
    InterestModel.configureThreads(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"lstm", "gru", "attention", "sasrec"})
  void dpBatchGradientMatchesFiniteDifferencesInEveryParameterBlock(String architecture) {
    List<CustomerHistory> data = InterestModelTest.synthetic(12, 3);
    try (InterestModel model = InterestModel.create(InterestModelTest.small(architecture))) {
      List<Example> batch = model.examples(data).subList(0, 6);
      float[] base = model.parameters();
      float[] gradient = model.dpBatchGradient(batch).gradient();
      SplittableRandom random = new SplittableRandom(11);
      int offset = 0;
      for (Map.Entry<String, long[]> block : model.parameterShapes().entrySet()) {
        int length = 1;
        for (long dimension : block.getValue()) {
          length *= (int) dimension;
        }
        float[] direction = new float[base.length];
        double analytic = 0;
        for (int i = offset; i < offset + length; i++) {
          direction[i] = random.nextBoolean() ? 1f : -1f;
          analytic += gradient[i] * direction[i];
        }
        double h = 1e-3;
        double numeric = (lossAt(model, base, direction, h, batch) - lossAt(model, base, direction, -h, batch)) / (2 * h);
        // sasrec's layer-norm gains of the last block move the float loss by ~1e-5 over the step: float
        // rounding of the loss (~5e-4 in the quotient) needs the wider absolute slack there
        double slack = architecture.equals("sasrec") ? 1e-3 : 1e-4;
        assertEquals(numeric, analytic, 0.02 * Math.abs(numeric) + slack,
            architecture + " " + block.getKey() + ": analytic directional derivative " + analytic + ", numeric " + numeric);
        offset += length;
      }
    }
  }

  private static double lossAt(InterestModel model, float[] base, float[] direction, double step,
      List<Example> batch) {
    float[] moved = base.clone();
    for (int i = 0; i < moved.length; i++) {
      moved[i] += (float) (step * direction[i]);
    }
    model.setParameters(moved);
    double loss = model.dpBatchGradient(batch).meanLoss();
    model.setParameters(base);
    return loss;
  }
}
