package io.interestfl.interest.model;

import io.interestfl.interest.data.CustomerHistory;
import java.util.List;

/**
 * SCAFFOLD's client side (Karimireddy et al., ICML 2020, option I), kept by one client from round to round: at
 * the global model it receives the client computes its mean gradient {@code c_i} over its training data, and every
 * local step adds {@code c - c_i} to its batch gradient, where {@code c} (the federation's mean gradient, downloaded
 * with the model) and {@code c_i} are both from the client's last round. A client's data is a small sample of the
 * federation's, so its uncorrected steps drift towards the optimum of that sample; corrected, each step follows an
 * estimate of the federation's gradient. No correction in a client's first round, and under sparse-row averaging
 * none on the rows its data never reaches. The client node and the
 * in-process simulator both train through this class; the server side is {@code ControlVariates}.
 */
public final class DriftCorrection {
  private float[] own;          // c_i at the global model of this client's last round
  private float[] sent;         // c_i computed this round, at the model just received

  /**
   * One round of local training from the model now in {@code model} (the global model just received).
   *
   * @param federationGradient {@code c}, the federation's mean gradient as of the last round; null or all zeros
   *                           before any round has reported one
   */
  public TrainingStats train(InterestModel model, List<CustomerHistory> train, int epochs, float[] federationGradient) {
    return train(model, train, epochs, federationGradient, false);
  }

  /**
   * As {@link #train(InterestModel, List, int, float[])}; with {@code sparseRows} (the server averages each
   * coordinate over the clients that changed it) the coordinates where this client's own gradient is exactly 0 are
   * not corrected (see the comment in the body).
   */
  public TrainingStats train(InterestModel model, List<CustomerHistory> train, int epochs, float[] federationGradient,
      boolean sparseRows) {
    float[] correction = null;
    if (own != null && federationGradient != null && !allZero(federationGradient)) {
      if (federationGradient.length != own.length) {
        throw new IllegalArgumentException("the federation's gradient has " + federationGradient.length
            + " values, the model " + own.length);
      }
      correction = new float[own.length];
      for (int j = 0; j < correction.length; j++) {
        // Under sparse rows a coordinate of this client's own gradient that is exactly 0 (a row its data never
        // reaches: the embedding of an item none of its customers had) is left uncorrected, so the row stays as
        // received and the server's mean over the clients that changed it is the mean over those that have the
        // item. Under a plain mean the correction must stay: there the clients that lack an item would hold its row
        // still and dilute the update of those that have it (measured: markov 0.513 against 0.545, skewed regions
        // 0.390 against 0.542, docs/benchmarks.md).
        correction[j] = sparseRows && own[j] == 0f ? 0f : federationGradient[j] - own[j];
      }
    }
    float[] g = model.meanGradient(train);
    TrainingStats s = correction == null ? model.train(train, epochs) : model.train(train, epochs, correction);
    sent = g;
    if (g != null) {
      own = g;
    }
    return s;
  }

  /** {@code c_i} of the last {@link #train}: this client's mean gradient at the model it received (null: no example). */
  public float[] ownGradient() {
    return sent;
  }

  private static boolean allZero(float[] v) {
    for (float x : v) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }
}
