package io.interestfl.simulations.evaluation;

import io.interestfl.aggregation.Weighting;
import io.interestfl.interest.model.ModelConfig;

/**
 * What a {@link FederatedEvaluation} runs: the model, the counts and their choice on validation, the federated
 * method.
 *
 * @param model         architecture and hyper-parameters shared by alone, centralized and federated
 * @param rounds        federated rounds
 * @param localEpochs   local epochs per round (alone and centralized train rounds x localEpochs epochs)
 * @param historyWeight weight of the customer's own history in {@code federated+history}
 * @param finetuneEpochs local epochs of {@code federated+finetune} (0: not run)
 * @param weighting     FedAvg client weights: {@code examples} (standard FedAvg), {@code sqrt} (square root
 *                      of the examples: small clients count more) or {@code uniform}
 * @param cohort        clients sampled uniformly (without replacement, seeded by the model's seed and the round)
 *                      to train in each federated round, as a coordinator samples its cohort; 0 = every client
 * @param carryLocalState each client continues its own Adam state from its last round
 * @param driftCorrection SCAFFOLD: every local step adds the federation's mean gradient less the client's own,
 *                      both at the global model of the client's last round ({@link FederatedTraining})
 */
public record EvaluationSettings(ModelConfig model, int rounds, int localEpochs, double historyWeight, int finetuneEpochs,
                                 String weighting, int adaptEpochs, int cohort, ServerStep server, int patience,
                                 boolean carryLocalState, boolean driftCorrection) {
  /** Without drift correction. */
  public EvaluationSettings(ModelConfig model, int rounds, int localEpochs, double historyWeight, int finetuneEpochs,
      String weighting, int adaptEpochs, int cohort, ServerStep server, int patience, boolean carryLocalState) {
    this(model, rounds, localEpochs, historyWeight, finetuneEpochs, weighting, adaptEpochs, cohort, server, patience,
        carryLocalState, false);
  }

  /** Clients reset Adam every round, as {@code ClientNode} does. */
  public EvaluationSettings(ModelConfig model, int rounds, int localEpochs, double historyWeight, int finetuneEpochs,
      String weighting, int adaptEpochs, int cohort, ServerStep server, int patience) {
    this(model, rounds, localEpochs, historyWeight, finetuneEpochs, weighting, adaptEpochs, cohort, server, patience,
        false);
  }

  /**
   * With plain FedAvg at server rate 1 (the new model is the weighted mean of the clients') and fixed counts: every
   * method trains {@code rounds} rounds or {@code rounds x localEpochs} epochs, without validation.
   */
  public EvaluationSettings(ModelConfig model, int rounds, int localEpochs, double historyWeight, int finetuneEpochs,
      String weighting, int adaptEpochs, int cohort) {
    this(model, rounds, localEpochs, historyWeight, finetuneEpochs, weighting, adaptEpochs, cohort,
        ServerStep.FEDAVG, 0);
  }

  /** Every client in every round. */
  public EvaluationSettings(ModelConfig model, int rounds, int localEpochs, double historyWeight, int finetuneEpochs,
      String weighting, int adaptEpochs) {
    this(model, rounds, localEpochs, historyWeight, finetuneEpochs, weighting, adaptEpochs, 0);
  }

  /** Without the fine-tuning row. */
  public EvaluationSettings(ModelConfig model, int rounds, int localEpochs, double historyWeight) {
    this(model, rounds, localEpochs, historyWeight, 0, "examples", 0);
  }

  /** Standard (example-weighted) FedAvg. */
  public EvaluationSettings(ModelConfig model, int rounds, int localEpochs, double historyWeight, int finetuneEpochs) {
    this(model, rounds, localEpochs, historyWeight, finetuneEpochs, "examples", 0);
  }

  /** Without the validated rows. */
  public EvaluationSettings(ModelConfig model, int rounds, int localEpochs, double historyWeight, int finetuneEpochs,
      String weighting) {
    this(model, rounds, localEpochs, historyWeight, finetuneEpochs, weighting, 0);
  }

  public EvaluationSettings {
    Weighting.parse(weighting);   // refuses anything but examples, sqrt or uniform
    if (finetuneEpochs < 0) {
      throw new IllegalArgumentException("fine-tune epochs must be >= 0, got " + finetuneEpochs);
    }
    if (adaptEpochs < 0) {
      throw new IllegalArgumentException("adaptation epochs must be >= 0, got " + adaptEpochs);
    }
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
    }
    if (localEpochs < 1) {
      throw new IllegalArgumentException("local epochs must be >= 1, got " + localEpochs);
    }
    if (cohort < 0) {
      throw new IllegalArgumentException("cohort must be >= 0 (0: every client), got " + cohort);
    }
    server.create();   // refuses an unknown optimizer or a bad rate before any training
    if (patience < 0) {
      throw new IllegalArgumentException("patience must be >= 0 (0: fixed counts), got " + patience);
    }
  }
}
