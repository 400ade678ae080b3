package io.interestfl.aggregation;

import java.util.Arrays;

/**
 * SCAFFOLD's server side (Karimireddy et al., ICML 2020, option I), as a layout of the federation's vector and a
 * server step around the federation's optimizer. With drift correction the global vector is
 * {@code [model (P) | c (P)]}, where {@code c} is the federation's mean gradient at the last global model, and every
 * client sends {@code [delta (P) | c_i (P)]}, its model delta and its own mean gradient at the model it received
 * (weighted by its examples, as the delta is). The round's aggregate (plain mean, robust mean or the decoded secure
 * sum: whatever the pipeline makes of the whole vector) is therefore {@code [mean delta | mean c_i]}; this step hands
 * the first half to the optimizer and takes the second as the next {@code c}. Nothing else changes: secure
 * aggregation masks one vector of 2P values, the checkpoint holds {@code c} with the model, and the in-process
 * simulator and the coordinator run this same step.
 */
public final class ControlVariates implements AggregationStrategy {
  private final AggregationStrategy optimizer;
  private final int modelLength;

  /** The step for a model of {@code modelLength} parameters, stepping the model half with {@code optimizer}. */
  public ControlVariates(AggregationStrategy optimizer, int modelLength) {
    if (modelLength <= 0) {
      throw new IllegalArgumentException("model length must be > 0, got " + modelLength);
    }
    this.optimizer = optimizer;
    this.modelLength = modelLength;
  }

  /** The federation's first vector: the model, then {@code c = 0} (no correction before a first round). */
  public static float[] initialState(float[] model) {
    return Arrays.copyOf(model, 2 * model.length);
  }

  /** The model half of a federation vector {@code [model | c]}. */
  public static float[] model(float[] state) {
    return Arrays.copyOf(state, half(state));
  }

  /** The control-variate half {@code c} of a federation vector {@code [model | c]}. */
  public static float[] federationGradient(float[] state) {
    return Arrays.copyOfRange(state, half(state), state.length);
  }

  /** A client's upload {@code [delta | ownGradient]}. */
  public static float[] upload(float[] delta, float[] ownGradient) {
    if (delta.length != ownGradient.length) {
      throw new IllegalArgumentException("delta has " + delta.length + " values, the gradient " + ownGradient.length);
    }
    float[] out = Arrays.copyOf(delta, 2 * delta.length);
    System.arraycopy(ownGradient, 0, out, delta.length, ownGradient.length);
    return out;
  }

  private static int half(float[] state) {
    if (state.length % 2 != 0) {
      throw new IllegalArgumentException("a [model | c] vector has an even length, got " + state.length);
    }
    return state.length / 2;
  }

  @Override
  public String name() {
    return optimizer.name() + "+scaffold";
  }

  @Override
  public float[] apply(float[] global, float[] meanDelta) {
    if (global.length != 2 * modelLength || meanDelta.length != 2 * modelLength) {
      throw new IllegalArgumentException("expected [model | c] vectors of " + 2 * modelLength + " values, got "
          + global.length + " and " + meanDelta.length);
    }
    float[] next = optimizer.apply(Arrays.copyOf(global, modelLength), Arrays.copyOf(meanDelta, modelLength));
    float[] out = Arrays.copyOf(next, 2 * modelLength);
    System.arraycopy(meanDelta, modelLength, out, modelLength, modelLength);
    return out;
  }

  @Override
  public float[][] state() {
    return optimizer.state();
  }

  @Override
  public void restore(float[][] state) {
    optimizer.restore(state);
  }
}
