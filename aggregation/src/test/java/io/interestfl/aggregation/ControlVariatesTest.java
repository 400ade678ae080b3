package io.interestfl.aggregation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ControlVariatesTest {
  /**
   * The aggregate of [delta | c_i] uploads is [mean delta | mean c_i]: the optimizer steps the model half exactly
   * as it would step the model alone, and the mean c_i becomes the federation's c; the optimizer's state is its own.
   */
  @Test
  void theModelHalfIsSteppedAndTheGradientHalfReplaced() {
    float[] model = {1f, 2f, 3f};
    float[] state = ControlVariates.initialState(model);
    assertArrayEquals(new float[] {1f, 2f, 3f, 0f, 0f, 0f}, state, "c = 0 before a first round");
    Aggregator mean = AggregationPipeline.mean(Weighting.EXAMPLES, new FedAvg(1.0)).open(6, 2);
    mean.accept(ControlVariates.upload(new float[] {0.1f, 0.2f, 0.3f}, new float[] {1f, 0f, -1f}), 1);
    mean.accept(ControlVariates.upload(new float[] {0.4f, 0.5f, 0.6f}, new float[] {3f, 2f, 1f}), 3);
    float[] aggregate = mean.release();

    FedAvgM alone = new FedAvgM(0.5, 0.9);
    ControlVariates step = new ControlVariates(new FedAvgM(0.5, 0.9), 3);
    float[] next = step.apply(state, aggregate);
    float[] expected = alone.apply(model, java.util.Arrays.copyOf(aggregate, 3));
    assertArrayEquals(expected, ControlVariates.model(next), "the optimizer's step on the model half, bit for bit");
    assertArrayEquals(new float[] {2.5f, 1.5f, 0.5f}, ControlVariates.federationGradient(next),
        "c = the example-weighted mean of the c_i");
    assertEquals(alone.state().length, step.state().length);
    assertArrayEquals(alone.state()[0], step.state()[0], "the momentum is the optimizer's");
    assertEquals("fedavgm+scaffold", step.name());
    assertArrayEquals(model, state.length == 6 ? ControlVariates.model(state) : null);

    assertThrows(IllegalArgumentException.class, () -> step.apply(model, aggregate), "a vector without its c half");
    assertThrows(IllegalArgumentException.class, () -> ControlVariates.model(new float[] {1f, 2f, 3f}));
    assertThrows(IllegalArgumentException.class, () -> ControlVariates.upload(new float[2], new float[3]));
  }
}
