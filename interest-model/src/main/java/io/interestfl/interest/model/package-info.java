/**
 * The DL4J next-basket interest model ({@link io.interestfl.interest.model.InterestModel}), its
 * configuration ({@link io.interestfl.interest.model.ModelConfig}) and a training-step benchmark
 * ({@link io.interestfl.interest.model.ModelBenchmark}).
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
