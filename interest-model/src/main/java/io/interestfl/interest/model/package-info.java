/**
 * The DL4J next-basket interest model ({@link io.interestfl.interest.model.InterestModel}), its
 * configuration ({@link io.interestfl.interest.model.ModelConfig}), customer-level DP-SGD
 * ({@link io.interestfl.interest.model.UserLevelDpTrainer}) and benchmarks
 * ({@link io.interestfl.interest.model.ModelBenchmark}, {@link io.interestfl.interest.model.UserLevelDpBenchmark}).
 *
 * <p>{@code InterestModel} is the facade the other modules use; behind it, one class per step:
 * {@code NetworkBuilder} builds the DL4J graph of each architecture, {@code ExampleBuilder} turns histories
 * into input rows ({@code Example}), {@code InputBatcher} turns rows into feature arrays, masks and labels,
 * {@code NetworkTrainer} runs the fit loop, the DP-SGD gradient steps and owns the optimizer state, and
 * {@code NetworkScorer} computes scores, customer vectors and item vectors. {@code GruLayer} and
 * {@code SameDiffGradientCorrection} work around what DL4J lacks or gets wrong.
 *
 * <p>A federated round on a client:
 * <pre>{@code
 * InterestModel.configureThreads(1);
 * try (InterestModel model = InterestModel.create(config)) {
 *     model.setParameters(global);                     // also resets Adam state
 *     TrainingStats stats = model.train(split.train(), localEpochs);
 *     float[] local = model.parameters();              // send local - global (or local)
 * }
 * }</pre>
 */
package io.interestfl.interest.model;
