package io.interestfl.coordinator.round;

import io.interestfl.aggregation.AggregationPipeline;
import io.interestfl.coordinator.config.CoordinatorConfig;
import io.interestfl.coordinator.privacy.CentralPrivacy;
import io.interestfl.coordinator.privacy.DistributedPrivacy;
import io.interestfl.coordinator.privacy.PrivacyGate;
import io.interestfl.protocol.v1.ModelSpec;
import io.interestfl.protocol.v1.SecureAggregationConfig;
import io.interestfl.protocol.v1.TrainingConfig;

/**
 * What every client is told about local training and its half of the pipeline (clip norm, noise
 * variance, quantizer), fixed for the life of the federation.
 */
final class TrainingPlan {
  private TrainingPlan() {}

  static TrainingConfig of(CoordinatorConfig config, PrivacyGate privacy, AggregationPipeline pipeline) {
    CoordinatorConfig.Training training = config.training;
    return TrainingConfig.newBuilder()
        .setLocalEpochs(training.localEpochs)
        .setBatchSize(training.batchSize)
        .setLearningRate(training.learningRate)
        .setSeed(training.seed)
        .setCarryOptimizerState(training.carryOptimizerState)
        .setDriftCorrection(privacy.driftCorrection())
        .setSparseRows(training.sparseRows)
        .setRounds(config.rounds)
        .setClipNorm(privacy instanceof CentralPrivacy || privacy instanceof DistributedPrivacy
            ? config.privacy.clipNorm : 0)
        .setDistributedNoiseVariance(privacy instanceof DistributedPrivacy distributed
            ? distributed.perClientVariance() : 0)
        .setSecureAggregation(SecureAggregationConfig.newBuilder()
            .setEnabled(config.secureAggregation.enabled)
            .setClipRange(pipeline.quantization() != null ? pipeline.quantization().clipRange()
                : config.secureAggregation.clipRange)
            .setPrecisionBits(config.secureAggregation.precisionBits)
            .setMaxWeight(config.secureAggregation.maxWeight))
        .setModel(ModelSpec.newBuilder()
            .setArchitecture(training.model.architecture)
            .setHistoryLength(training.model.historyLength)
            .setEmbeddingSize(training.model.embeddingSize)
            .setHiddenSize(training.model.hiddenSize)
            .setContextInputs(training.model.contextInputs))
        .build();
  }
}
