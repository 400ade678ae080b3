package io.interestfl.simulations.federation;

import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.interest.model.TrainingStats;
import java.util.List;

/**
 * One stateless virtual client's round, the client node's local training: start from the global parameters (Adam
 * restarted, as {@link InterestModel#setParameters} does), train the local epochs on the client's own histories,
 * send the delta. Every executor of a simulated round (in process, on Spark) calls this; nothing else trains a
 * virtual client.
 */
public final class VirtualClient {
  private VirtualClient() {}

  /**
   * The client's update, or null when its histories give no training example (it sends nothing).
   *
   * @param model  any model of the federation's configuration; its parameters are overwritten
   * @param global the global model's parameters (not modified)
   */
  public static ClientUpdate train(InterestModel model, float[] global, List<CustomerHistory> data, int localEpochs) {
    model.setParameters(global);
    TrainingStats s = model.train(data, localEpochs);
    if (s.examples() == 0) {
      return null;
    }
    return new ClientUpdate(delta(model, global), s.examples(), s.meanLoss());
  }

  /** The model's parameters less {@code start}: what a client sends after training from {@code start}. */
  public static float[] delta(InterestModel model, float[] start) {
    float[] delta = model.parameters();
    for (int j = 0; j < delta.length; j++) {
      delta[j] -= start[j];
    }
    return delta;
  }
}
