package io.interestfl.client.node;

import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.model.DpSgdConfig;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.interest.model.TrainingStats;
import io.interestfl.interest.model.UserLevelDpTrainer;
import io.interestfl.privacy.accounting.SubsampledGaussian;
import io.interestfl.privacy.budget.PrivacyBudget;
import io.interestfl.privacy.budget.PrivacyLedger;
import io.interestfl.protocol.v1.Task;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Customer-level (user-level) differential privacy at this node: the ledger of what its customers'
 * epsilon has spent, the check that a round still fits the budget, and DP-SGD local training that
 * records each round in the ledger before the update leaves the node. Off unless the configuration
 * enables it, and off again once closed.
 */
final class CustomerPrivacy implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ClientNode.class.getName());

  private final ClientConfig config;
  private final SecureRandom secureRandom;
  /** Null when user-level DP is off (or the ledger is closed). */
  private PrivacyLedger ledger;

  CustomerPrivacy(ClientConfig config, SecureRandom secureRandom) {
    this.config = config;
    this.secureRandom = secureRandom;
  }

  /** Opens the ledger when the configuration turns user-level DP on. */
  void open() throws IOException {
    if (config.userLevelPrivacy.enabled) {
      ledger = PrivacyLedger.open(config.ledgerPath(),
          new PrivacyBudget(config.userLevelPrivacy.epsilon, config.userLevelPrivacy.delta));
      LOG.info(String.format("%s: user-level DP on: ledger %s, epsilon %.4f of %.4f spent", config.name,
          config.ledgerPath(), ledger.epsilon(), config.userLevelPrivacy.epsilon));
    }
  }

  /** True while this node protects its customers with DP-SGD. */
  boolean enabled() {
    return ledger != null;
  }

  /** The customers' epsilon spent so far, or 0 when user-level DP is off. */
  double epsilon() {
    return enabled() ? ledger.epsilon() : 0;
  }

  /**
   * Why this node must not train {@code task}'s round on {@code train}: the round's DP-SGD would take
   * the customers' epsilon past this node's budget. Null when it may train (or user-level DP is off).
   */
  String budgetRefusal(Task task, List<CustomerHistory> train) {
    if (ledger == null) {
      return null;
    }
    SubsampledGaussian planned = dpSgd().mechanism(train.size(), task.getConfig().getLocalEpochs());
    if (ledger.canSpend(planned)) {
      return null;
    }
    return String.format(Locale.ROOT,
        "customer-level privacy budget spent: epsilon %.4f, one more round would reach %.4f > %.4f (delta %s)",
        ledger.epsilon(), ledger.epsilonIfSpent(planned).epsilon(), config.userLevelPrivacy.epsilon,
        config.userLevelPrivacy.delta);
  }

  /**
   * Local training of {@code task}'s round with customer-level DP-SGD: each sampled customer's gradient
   * is clipped, the sum noised, and the round's mechanism recorded in the ledger.
   */
  TrainingStats train(InterestModel local, List<CustomerHistory> train, Task task) throws IOException {
    int epochs = task.getConfig().getLocalEpochs();
    UserLevelDpTrainer trainer = trainer(local);
    TrainingStats stats = trainer.train(train, epochs);
    if (trainer.lastMechanism() != null) {
      ledger.spend(task.getRoundId(), trainer.lastMechanism());
    }
    LOG.info(String.format("%s: user-level DP-SGD: %s; customers' epsilon now %.4f (delta %s)", config.name,
        trainer.lastReport(), ledger.epsilon(), config.userLevelPrivacy.delta));
    return stats;
  }

  /**
   * The "trained alone" baseline under this node's DP-SGD, charged to the ledger like a round (as round
   * {@code roundId}): it is a release of the customers' data too. Returns null, training nothing, when the
   * budget cannot pay for it.
   */
  TrainingStats trainBaseline(InterestModel alone, List<CustomerHistory> train, int epochs, long roundId)
      throws IOException {
    SubsampledGaussian planned = dpSgd().mechanism(train.size(), epochs);
    if (!ledger.canSpend(planned)) {
      LOG.warning(String.format(Locale.ROOT, "%s: the trained-alone baseline (%d epochs) would take the customers' "
          + "epsilon to %.4f > %.4f: not run", config.name, epochs, ledger.epsilonIfSpent(planned).epsilon(),
          config.userLevelPrivacy.epsilon));
      return null;
    }
    UserLevelDpTrainer trainer = trainer(alone);
    TrainingStats stats = trainer.train(train, epochs);
    if (trainer.lastMechanism() != null) {
      ledger.spend(roundId, trainer.lastMechanism());
    }
    return stats;
  }

  /** A DP-SGD trainer of {@code model} with this node's settings (it records nothing in the ledger). */
  UserLevelDpTrainer trainer(InterestModel model) {
    return new UserLevelDpTrainer(model, dpSgd(), secureRandom);
  }

  private DpSgdConfig dpSgd() {
    ClientConfig.UserLevelPrivacy settings = config.userLevelPrivacy;
    return new DpSgdConfig(settings.clipNorm, settings.noiseMultiplier, settings.customersPerStep);
  }

  /** Closes the ledger (once); user-level DP counts as off from then on. */
  @Override
  public synchronized void close() {
    if (ledger != null) {
      try {
        ledger.close();
      } catch (IOException e) {
        LOG.warning("could not close the privacy ledger: " + e);
      }
      ledger = null;
    }
  }
}
