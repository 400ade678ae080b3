package io.interestfl.interest.model;

import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.privacy.accounting.SubsampledGaussian;
import io.interestfl.privacy.clipping.L2Clipper;
import io.interestfl.privacy.noise.GaussianNoise;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * User-level (customer-level) DP-SGD for an {@link InterestModel} inside one client node: protects each of a
 * merchant's customers, with all of their baskets, from whoever receives the trained model (the coordinator,
 * the other merchants, everyone the global model is released to).
 *
 * <h2>One step</h2>
 * <ol>
 *   <li>Poisson sampling: every customer is included independently with probability
 *       {@code q = cfg.samplingRate(N)} (drawn from the {@link SecureRandom}; the realised number varies).</li>
 *   <li>Per-customer micro-batch: a sampled customer's training examples (those {@link InterestModel}'s
 *       normal training builds from their history, capped to the most recent
 *       {@code cfg.examplesPerCustomerCap()}); the gradient of the <em>mean</em> loss over that micro-batch
 *       w.r.t. all parameters (one DL4J forward/backward per customer).</li>
 *   <li>Clipping: each customer's flat gradient g (L2 norm computed by {@link L2Clipper#norm(float[])}) is
 *       scaled by {@link #clipFactor} = min(1, C / (||g|| (1 + 1e-9))) while it is added to the double sum, so no
 *       contribution exceeds C. (Scaling in place with {@code L2Clipper.clip}, which rounds every float toward
 *       zero, cost 4.5 ms per 0.38 M-parameter vector, as much as an attention model's gradient; the fused
 *       double path costs 0.2 ms.) A customer without examples contributes 0.</li>
 *   <li>Noise: the clipped gradients are summed (in double) and N(0, (zC)^2) is added to every coordinate
 *       ({@link GaussianNoise}, from the {@link SecureRandom}). The step is taken even when nobody was sampled.</li>
 *   <li>The noisy sum is divided by the <em>expected</em> batch size {@code q * N} (not the realised one, which
 *       is private) and applied through the model's Adam updater, so Adam's moments only ever see privatized
 *       gradients.</li>
 * </ol>
 * An epoch is {@code cfg.stepsPerEpoch(N)} steps; {@link #train} spends exactly
 * {@code cfg.mechanism(N, epochs)} = {@code SubsampledGaussian(q, z, steps)}, returned by
 * {@link #lastMechanism()}. The accounting assumes the model's parameters and Adam state before the call are
 * independent of these customers' data (true when a global model arrives and {@code setParameters} resets Adam);
 * successive calls on the same customers compose, so record every call's mechanism in the node's ledger.
 *
 * <h2>What must not be released</h2>
 * Only the model is privatized. The returned {@link TrainingStats#meanLoss()} (the loss of sampled customers'
 * micro-batches) and {@link TrainingStats#examples()}, and {@link Report}, are computed from the raw data and are
 * <b>not</b> differentially private: keep them local (logs at the merchant), do not send them to the coordinator.
 *
 * <p>Not thread-safe; one trainer per model and thread. The model's {@code batchSize} is not used.
 */
public final class UserLevelDpTrainer {

    /** Statistics of the last {@link #train} call; computed from raw data, not private (keep local). */
    public record Report(int customers, double samplingRate, int steps, long customersSampled, long clipped,
                         double meanCustomerGradientNorm, double noiseStddevOnMeanGradient, double seconds) {
        /** Fraction of sampled customers (with examples) whose gradient was clipped. */
        public double clippedFraction() {
            return customersSampled == 0 ? 0 : (double) clipped / customersSampled;
        }

        /** Sampled customers (micro-batches) processed per second. */
        public double customersPerSecond() {
            return seconds == 0 ? 0 : customersSampled / seconds;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "Report[N=%d, q=%.4f, steps=%d, sampled=%d, clipped=%.1f%%, "
                            + "mean norm=%.4g, noise std on mean gradient=%.4g, %.2f s, %.1f customers/s]",
                    customers, samplingRate, steps, customersSampled, 100 * clippedFraction(),
                    meanCustomerGradientNorm, noiseStddevOnMeanGradient, seconds, customersPerSecond());
        }
    }

    /**
     * Test hook: sees every sampled customer's raw gradient and the factor it is scaled by before summing; the
     * contribution added to the sum is exactly {@code gradient[i] * factor} in double (do not modify the array).
     */
    interface ContributionObserver {
        void clipped(long customerId, float[] gradient, double factor, double norm);
    }

    /** Relative margin covering the rounding error of the double-accumulated norm (at most n * 2^-53). */
    static final double NORM_MARGIN = 1e-9;

    /**
     * Scale factor that clips a vector of computed L2 norm {@code norm} to {@code clipNorm}: 1 when
     * {@code norm * (1 + margin) <= clipNorm} (the vector is used unchanged), else
     * {@code clipNorm / (norm * (1 + margin))}. The margin exceeds the relative error of the norm computed in
     * double for vectors of up to 10^6 entries, so the true norm of the scaled vector (and of its elementwise
     * products computed in double, each within 2^-53) never exceeds {@code clipNorm}.
     */
    static double clipFactor(double norm, double clipNorm) {
        double padded = norm * (1 + NORM_MARGIN);
        return padded <= clipNorm ? 1.0 : clipNorm / padded;
    }

    private final InterestModel model;
    private final DpSgdConfig cfg;
    private final SecureRandom rng;
    private final L2Clipper clipper;
    private final GaussianNoise noise;
    private SubsampledGaussian lastMechanism;
    private Report lastReport;
    ContributionObserver observer;

    // per-call accumulators
    private long sampledCount;
    private long clippedCount;
    private double normSum;
    private double lossSum;
    private long lossExamples;

    /**
     * @param model the model to train in place (its Adam updater applies the privatized gradients)
     * @param cfg   clip norm, noise multiplier, expected customers per step, examples cap
     * @param rng   source of the Poisson sampling and of the noise; {@code new SecureRandom()} in production
     */
    public UserLevelDpTrainer(InterestModel model, DpSgdConfig cfg, SecureRandom rng) {
        this.model = Objects.requireNonNull(model, "model");
        this.cfg = Objects.requireNonNull(cfg, "cfg");
        // the source's own bytes, served from a buffer: NativePRNG's per-call cost dominated the noise step
        this.rng = new DpBufferedSecureRandom(Objects.requireNonNull(rng, "rng"));
        this.clipper = new L2Clipper(cfg.clipNorm());
        this.noise = GaussianNoise.forMechanism(cfg.noiseMultiplier(), cfg.clipNorm(), this.rng);
    }

    public DpSgdConfig config() {
        return cfg;
    }

    /**
     * Trains {@code epochs} epochs of user-level DP-SGD over {@code customers} (N = customers.size(), each the
     * whole history of one customer; pass every customer of the merchant, one entry per customer).
     * With no customers or 0 epochs nothing happens and {@link #lastMechanism()} spends 0 steps.
     *
     * @return steps taken, examples per epoch (after the cap), mean micro-batch loss of the sampled customers
     * (not private), wall-clock seconds
     */
    public TrainingStats train(List<CustomerHistory> customers, int epochs) {
        NetworkTrainer.checkEpochs(epochs);
        long t0 = System.nanoTime();
        int n = customers.size();
        if (n == 0 || epochs == 0) {
            lastMechanism = cfg.noiseMultiplier() > 0 && n > 0
                    ? new SubsampledGaussian(cfg.samplingRate(n), cfg.noiseMultiplier(), 0) : null;
            double s = (System.nanoTime() - t0) / 1e9;
            lastReport = new Report(n, n == 0 ? 0 : cfg.samplingRate(n), 0, 0, 0, 0, 0, s);
            return new TrainingStats(0, 0, 0, s);
        }
        List<MicroBatch> batches = microBatches(customers);
        int examples = 0;
        for (MicroBatch b : batches) {
            examples += NetworkTrainer.targets(b.examples());
        }
        double q = cfg.samplingRate(n);
        double expected = q * n;
        int stepsPerEpoch = cfg.stepsPerEpoch(n);
        sampledCount = clippedCount = lossExamples = 0;
        normSum = lossSum = 0;
        int steps = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int s = 0; s < stepsPerEpoch; s++) {
                List<MicroBatch> sampled = poissonSample(batches, q);
                float[] g = privatizedGradient(sampled, expected);
                model.dpApplyGradient(g);
                steps++;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        lastMechanism = cfg.noiseMultiplier() > 0 ? new SubsampledGaussian(q, cfg.noiseMultiplier(), steps) : null;
        lastReport = new Report(n, q, steps, sampledCount, clippedCount, sampledCount == 0 ? 0 : normSum / sampledCount,
                cfg.noiseMultiplier() * cfg.clipNorm() / expected, seconds);
        return new TrainingStats(lossExamples == 0 ? 0 : lossSum / lossExamples, examples, steps, seconds);
    }

    /**
     * The privacy mechanism the last {@link #train} call spent: {@code SubsampledGaussian(q, z, steps)}; equal
     * to {@code config().mechanism(N, epochs)}. Null before the first call and when the noise multiplier is 0
     * (not private).
     */
    public SubsampledGaussian lastMechanism() {
        return lastMechanism;
    }

    /** Statistics of the last {@link #train} call (null before the first); not private, keep local. */
    public Report lastReport() {
        return lastReport;
    }

    /** One customer's capped training examples (possibly none). */
    record MicroBatch(long customerId, List<Example> examples) {
    }

    /** Each customer's most recent {@code examplesPerCustomerCap} training examples, in input order. */
    List<MicroBatch> microBatches(List<CustomerHistory> customers) {
        int cap = cfg.examplesPerCustomerCap();
        List<MicroBatch> out = new ArrayList<>(customers.size());
        for (CustomerHistory ch : customers) {
            out.add(new MicroBatch(ch.customerId(), recentExamples(model, ch, cap)));
        }
        return out;
    }

    /**
     * One customer's training examples, capped to the most recent {@code cap} targets (in input order; a "sasrec"
     * window counts its labelled positions, and the window that crosses the cap is left out whole).
     */
    static List<Example> recentExamples(InterestModel model, CustomerHistory customer, int cap) {
        List<Example> ex = model.examples(List.of(customer));
        int from = ex.size(), targets = 0;
        while (from > 0 && targets + ex.get(from - 1).targets() <= cap) {
            targets += ex.get(--from).targets();
        }
        return from == 0 ? ex : List.copyOf(ex.subList(from, ex.size()));
    }

    /** Includes each micro-batch independently with probability q (from the SecureRandom). */
    List<MicroBatch> poissonSample(List<MicroBatch> all, double q) {
        if (q >= 1.0) {
            return all;
        }
        List<MicroBatch> out = new ArrayList<>();
        for (MicroBatch b : all) {
            if (rng.nextDouble() < q) {
                out.add(b);
            }
        }
        return out;
    }

    /**
     * The privatized averaged gradient of one step for an already sampled set of customers:
     * (sum of per-customer clipped gradients + N(0, (zC)^2 I)) / expectedBatch. Does not change the model.
     */
    float[] privatizedGradient(List<MicroBatch> sampled, double expectedBatch) {
        int p = model.parameterCount();
        double[] sum = new double[p];
        for (MicroBatch b : sampled) {
            if (b.examples().isEmpty()) {
                continue;   // contributes the zero vector
            }
            BatchGradient bg = model.dpBatchGradient(b.examples());
            float[] g = bg.gradient();
            double norm = L2Clipper.norm(g);   // double accumulation; rejects NaN/infinite entries
            double factor = clipFactor(norm, clipper.clipNorm());
            if (observer != null) {
                observer.clipped(b.customerId(), g, factor, norm);
            }
            sampledCount++;
            if (factor < 1) {
                clippedCount++;
            }
            normSum += norm;
            int targets = NetworkTrainer.targets(b.examples());
            lossSum += bg.meanLoss() * targets;
            lossExamples += targets;
            for (int i = 0; i < p; i++) {
                sum[i] += g[i] * factor;      // the clipped contribution, scaled in double
            }
        }
        if (noise.stddev() > 0) {
            noise.addTo(sum);
        }
        float[] out = new float[p];
        double inv = 1.0 / expectedBatch;
        for (int i = 0; i < p; i++) {
            out[i] = (float) (sum[i] * inv);
        }
        return out;
    }
}
