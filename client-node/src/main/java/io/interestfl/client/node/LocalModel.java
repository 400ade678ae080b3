package io.interestfl.client.node;

import io.interestfl.interest.model.DriftCorrection;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.protocol.v1.Task;

/**
 * The node's one interest model: created from the federation's spec on first use, checked against
 * every task's model length; each round loads the global parameters into it and, where the federation
 * asks for it, the Adam state this node's last round ended with.
 */
final class LocalModel implements AutoCloseable {
  private final MerchantData data;
  private InterestModel model;
  private float[] carriedState;   // Adam moments, iteration and epoch count after this node's last plain round
  private final DriftCorrection driftCorrection = new DriftCorrection();   // this node's c_i between rounds

  LocalModel(MerchantData data) {
    this.data = data;
  }

  /** The model for {@code task}; fails when its length disagrees with the federation's. */
  InterestModel modelFor(Task task) {
    if (model == null) {
      model = InterestModel.create(data.modelConfig(task.getConfig()));
    }
    // Under customer-level DP the federation's vector is the model followed by the released statistics.
    // With drift correction it is [model | c], the model and the federation's mean gradient.
    long expected = task.getConfig().hasCustomerDp() ? task.getConfig().getCustomerDp().getModelLength()
        : task.getConfig().getDriftCorrection() ? task.getModelLength() / 2 : task.getModelLength();
    if (model.parameterCount() != expected) {
      throw new IllegalStateException("the federation's model has " + expected
          + " parameters but " + model.config() + " has " + model.parameterCount()
          + ": coordinator and client disagree on the model or catalogue");
    }
    return model;
  }

  /**
   * Loads {@code global} into {@code model} for a round; with {@code carry} and a state kept by {@link #keepState},
   * Adam continues from it (else it restarts, as {@link InterestModel#setParameters} does).
   */
  void receive(InterestModel model, float[] global, boolean carry) {
    model.setParameters(global);
    if (carry && carriedState != null) {
      model.restoreOptimizerState(carriedState);
    }
  }

  /** Keeps {@code model}'s optimizer state for the next round; {@code carry == false} forgets any kept state. */
  void keepState(InterestModel model, boolean carry) {
    carriedState = carry ? model.optimizerState() : null;
  }

  /** The node's SCAFFOLD client state: its mean gradient from the last round it trained. */
  DriftCorrection driftCorrection() {
    return driftCorrection;
  }

  @Override
  public void close() {
    if (model != null) {
      model.close();
    }
  }
}
