package io.interestfl.simulations.federation;

import io.interestfl.aggregation.AggregationPipeline;
import io.interestfl.aggregation.Aggregator;
import io.interestfl.aggregation.CentralDp;
import io.interestfl.aggregation.Weighting;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.interest.model.ModelConfig;
import io.interestfl.privacy.accounting.SubsampledGaussian;
import io.interestfl.privacy.budget.PrivacyLedger;
import io.interestfl.simulations.evaluation.ServerStep;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A simulated federation of stateless virtual clients, round after round, with the coordinator's stages: the cohort
 * drawn ({@link Cohorts}), its clients trained by a {@link CohortExecutor} and folded into the round's aggregator
 * chain, the ledger charged (client-level central DP: one Poisson-subsampled Gaussian step per round with
 * {@code q = cohort / clients}, recorded before the noisy aggregate is released, as the coordinator's
 * {@code CentralPrivacy} does), the server optimizer stepped. The executor decides only where clients train; the
 * round's maths is this class and the aggregation module, whichever executor runs it.
 */
public final class FederatedSimulation {
  /**
   * @param cohort          clients per round (0: all)
   * @param noiseMultiplier z of client-level central DP (0: no privacy, then {@code clipNorm} is ignored)
   */
  public record Settings(ModelConfig model, int rounds, int localEpochs, int cohort, Weighting weighting,
                         ServerStep server, double clipNorm, double noiseMultiplier) {
    public Settings {
      if (rounds < 1) {
        throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
      }
      if (localEpochs < 1) {
        throw new IllegalArgumentException("local epochs must be >= 1, got " + localEpochs);
      }
      if (cohort < 0) {
        throw new IllegalArgumentException("cohort must be >= 0 (0: every client), got " + cohort);
      }
      if (!(noiseMultiplier >= 0)) {
        throw new IllegalArgumentException("noise multiplier must be >= 0 (0: no privacy), got " + noiseMultiplier);
      }
      if (noiseMultiplier > 0 && !(clipNorm > 0)) {
        throw new IllegalArgumentException("central DP needs a clip norm > 0, got " + clipNorm);
      }
      if (noiseMultiplier > 0 && server.sparseRows()) {
        throw new IllegalArgumentException("sparse rows average each row over the clients that touched it, which "
            + "central DP's fixed-denominator sum cannot: turn sparse rows off");
      }
      server.create();
    }

    boolean privacy() {
      return noiseMultiplier > 0;
    }
  }

  /** One committed round. {@code epsilon}: the ledger's total after it (NaN without privacy). */
  public record RoundRecord(int round, int cohort, int clients, long examples, double meanLoss, int clipped,
                            double seconds, double epsilon) {}

  /** The final global model, the rounds, and why it stopped early (null: all rounds ran). */
  public record Result(float[] global, List<RoundRecord> rounds, String stopped) {}

  private final Settings settings;

  public FederatedSimulation(Settings settings) {
    this.settings = settings;
  }

  /**
   * Runs the rounds on {@code executor} from the model's seeded initial parameters.
   *
   * @param ledger the privacy ledger to charge (required with privacy, unused without)
   * @param after  sees every committed round (progress)
   */
  public Result run(CohortExecutor executor, PrivacyLedger ledger, Consumer<RoundRecord> after) {
    if (settings.privacy() && ledger == null) {
      throw new IllegalArgumentException("central DP needs a privacy ledger");
    }
    float[] global;
    try (InterestModel initial = InterestModel.create(settings.model())) {
      global = initial.parameters();
    }
    AggregationPipeline pipeline = settings.privacy()
        ? AggregationPipeline.centralDp(CentralDp.fixed(settings.clipNorm(), settings.noiseMultiplier()),
            settings.server().create())
        : settings.server().pipeline(settings.weighting());
    List<RoundRecord> rounds = new ArrayList<>();
    int n = executor.clients();
    for (int r = 0; r < settings.rounds(); r++) {
      long t0 = System.nanoTime();
      List<Integer> cohort = Cohorts.draw(n, settings.cohort(), settings.model().seed(), r);
      SubsampledGaussian mechanism = settings.privacy()
          ? SubsampledGaussian.oneStep(Math.min(1.0, (double) cohort.size() / n), settings.noiseMultiplier()) : null;
      if (mechanism != null && !ledger.canSpend(mechanism)) {
        return new Result(global, rounds, "privacy budget reached after " + r + " rounds (epsilon "
            + ledger.spent().epsilon() + ")");
      }
      Aggregator aggregator = pipeline.open(global.length, cohort.size());
      RoundPartial round = executor.train(r, global, cohort, new RoundPartial(aggregator));
      if (round.aggregator() != aggregator) {
        throw new IllegalStateException(executor.describe() + " returned another round than the one it was given");
      }
      if (round.clients() == 0) {
        RoundRecord empty = new RoundRecord(r, cohort.size(), 0, 0, Double.NaN, 0, (System.nanoTime() - t0) / 1e9,
            epsilon(ledger));
        rounds.add(empty);
        if (after != null) {
          after.accept(empty);
        }
        continue;   // nobody had an example: the model stays
      }
      if (mechanism != null) {
        try {
          ledger.spend(r, mechanism);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot record round " + r + " in the privacy ledger", e);
        }
      }
      global = pipeline.step(global, aggregator.release());
      RoundRecord record = new RoundRecord(r, cohort.size(), round.clients(), round.examples(), round.meanLoss(),
          aggregator.clipped(), (System.nanoTime() - t0) / 1e9, epsilon(ledger));
      rounds.add(record);
      if (after != null) {
        after.accept(record);
      }
    }
    return new Result(Arrays.copyOf(global, global.length), rounds, null);
  }

  private double epsilon(PrivacyLedger ledger) {
    return settings.privacy() ? ledger.spent().epsilon() : Double.NaN;
  }
}
