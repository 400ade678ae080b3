package io.interestfl.simulations.federation;

import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.interest.model.ModelConfig;
import java.util.List;

/** The cohort trained one client after another in this JVM, on one model instance. */
public final class InProcessCohort implements CohortExecutor {
  private final InterestModel model;
  private final List<List<CustomerHistory>> clients;
  private final int localEpochs;

  /** @param clients each virtual client's training histories */
  public InProcessCohort(ModelConfig config, List<List<CustomerHistory>> clients, int localEpochs) {
    this.model = InterestModel.create(config);
    this.clients = List.copyOf(clients);
    this.localEpochs = localEpochs;
  }

  @Override
  public int clients() {
    return clients.size();
  }

  @Override
  public RoundPartial train(int round, float[] global, List<Integer> cohort, RoundPartial open) {
    for (int i : cohort) {
      open.accept(VirtualClient.train(model, global, clients.get(i), localEpochs));
    }
    return open;
  }

  @Override
  public String describe() {
    return "in-process";
  }

  @Override
  public void close() {
    model.close();
  }
}
