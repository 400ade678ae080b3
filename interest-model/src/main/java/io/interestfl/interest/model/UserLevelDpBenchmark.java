package io.interestfl.interest.model;

import io.interestfl.interest.data.BasketSequences;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.ItemCatalogue;
import io.interestfl.interest.data.OnlineRetailLoader;
import io.interestfl.interest.data.Purchase;
import io.interestfl.interest.data.TrainTestSplit;
import io.interestfl.interest.evaluation.CaseScorer;
import io.interestfl.interest.evaluation.RankingEvaluator;
import io.interestfl.interest.evaluation.RankingMetrics;
import io.interestfl.privacy.accounting.EpsilonConversion;
import io.interestfl.privacy.accounting.RdpAccountant;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static io.interestfl.interest.model.ModelBenchmark.arg;

/**
 * Cost and utility of user-level DP-SGD against normal training on a real slice, in one run:
 * {@code java -cp ... io.interestfl.interest.model.UserLevelDpBenchmark DATA [arch=lstm] [epochs=10]
 * [epsilon=3] [clip=1] [expectedCustomersPerStep=32] [dpLearningRate=0.01] [countries=Germany,France]
 * [delta=1e-5]}. The catalogue is built from the whole file, the slice is split by last basket, both models
 * start from the same weights. Prints wall-clock and thread-CPU seconds, customers/s and examples/s of both,
 * the cost of the per-customer gradients alone, HR@10/NDCG@10 of untrained, normal and DP models, and epsilon.
 * Run with {@code OMP_NUM_THREADS=1}.
 */
public final class UserLevelDpBenchmark {
    private UserLevelDpBenchmark() {
    }

    public static void main(String[] args) {
        Path data = Path.of(args[0]);
        String arch = arg(args, 1, "lstm");
        int epochs = Integer.parseInt(arg(args, 2, "10"));
        double epsilon = Double.parseDouble(arg(args, 3, "3"));
        double clip = Double.parseDouble(arg(args, 4, "1"));
        double expected = Double.parseDouble(arg(args, 5, "32"));
        double dpLr = Double.parseDouble(arg(args, 6, "0.01"));
        Set<String> countries = Set.of(arg(args, 7, "Germany,France").split(","));
        double delta = Double.parseDouble(arg(args, 8, "1e-5"));
        InterestModel.configureThreads(1);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();

        List<Purchase> all = OnlineRetailLoader.defaults().load(data).purchases();
        ItemCatalogue catalogue = ItemCatalogue.fromPurchases(all);
        List<Purchase> slice = all.stream().filter(p -> countries.contains(p.country())).toList();
        TrainTestSplit split = TrainTestSplit.lastBasket(BasketSequences.build(slice, catalogue));
        int n = split.train().size();
        ModelConfig cfg = ModelConfig.defaults(arch, catalogue.size());
        System.out.printf(Locale.ROOT, "%s: %d training customers, %d test customers, catalogue %d, %s%n",
                countries, n, split.test().size(), catalogue.size(), cfg);

        if (args.length > 9) {
            grid(split, catalogue, arch, args[9], delta);
            return;
        }
        try (InterestModel normal = InterestModel.create(cfg);
             InterestModel dp = InterestModel.create(cfg.withLearningRate(dpLr))) {
            RankingMetrics untrained = eval(normal, split, catalogue);
            normal.train(split.train(), 1);                 // warm-up (JIT, native caches)
            normal.setParameters(dp.parameters());
            long c0 = mx.getCurrentThreadCpuTime();
            TrainingStats ns = normal.train(split.train(), epochs);
            double normalCpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
            RankingMetrics normalM = eval(normal, split, catalogue);

            DpSgdConfig dcfg = DpSgdConfig.calibrated(epsilon, delta, n, epochs, clip, expected,
                    DpSgdConfig.DEFAULT_EXAMPLES_PER_CUSTOMER_CAP);
            UserLevelDpTrainer trainer = new UserLevelDpTrainer(dp, dcfg, new SecureRandom());
            c0 = mx.getCurrentThreadCpuTime();
            TrainingStats ds = trainer.train(split.train(), epochs);
            double dpCpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
            RankingMetrics dpM = eval(dp, split, catalogue);
            double eps = new RdpAccountant().compose(trainer.lastMechanism()).epsilon(delta, EpsilonConversion.IMPROVED).epsilon();

            // the per-customer gradients alone (one DL4J forward/backward per customer), one pass over everyone
            List<UserLevelDpTrainer.MicroBatch> mbs = trainer.microBatches(split.train());
            long w0 = System.nanoTime();
            c0 = mx.getCurrentThreadCpuTime();
            int grads = 0;
            for (UserLevelDpTrainer.MicroBatch b : mbs) {
                if (!b.examples().isEmpty()) {
                    dp.dpBatchGradient(b.examples());
                    grads++;
                }
            }
            double gradWall = (System.nanoTime() - w0) / 1e9, gradCpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;

            double normalCustPerS = (double) n * epochs / ns.seconds();
            UserLevelDpTrainer.Report r = trainer.lastReport();
            System.out.printf(Locale.ROOT, "normal : %d epochs, %d steps of %d, %.2f s wall, %.2f s cpu, %.0f examples/s, %.0f customers/s%n",
                    epochs, ns.steps(), cfg.batchSize(), ns.seconds(), normalCpu, (double) ns.examples() * epochs / ns.seconds(), normalCustPerS);
            System.out.printf(Locale.ROOT, "dp     : %s, %d steps, %.2f s wall, %.2f s cpu, %.1f sampled customers/s, %.0f customers/s per epoch-equivalent (%.1fx slower than normal)%n",
                    dcfg, ds.steps(), ds.seconds(), dpCpu, r.customersPerSecond(), (double) n * epochs / ds.seconds(),
                    ds.seconds() / ns.seconds());
            System.out.printf(Locale.ROOT, "dp     : %s%n", r);
            System.out.printf(Locale.ROOT, "gradients alone: %d per-customer gradients in %.2f s wall, %.2f s cpu: %.2f ms each%n",
                    grads, gradWall, gradCpu, 1000 * gradWall / grads);
            System.out.printf(Locale.ROOT, "epsilon %.3f at delta %g (improved conversion), mechanism %s%n", eps, delta, trainer.lastMechanism());
            System.out.printf(Locale.ROOT, "HR@10/NDCG@10: untrained %.3f/%.3f | normal %.3f/%.3f | user-level DP %.3f/%.3f%n",
                    untrained.hitRate(), untrained.ndcg(), normalM.hitRate(), normalM.ndcg(), dpM.hitRate(), dpM.ndcg());
        }
    }

    /** Utility grid: {@code specs} = "eps:clip:expected:lr:epochs;..." (same data and initial weights). */
    static void grid(TrainTestSplit split, ItemCatalogue catalogue, String arch, String specs, double delta) {
        int n = split.train().size();
        ModelConfig cfg = ModelConfig.defaults(arch, catalogue.size());
        for (String spec : specs.split(";")) {
            String[] f = spec.split(":");
            double eps = Double.parseDouble(f[0]), clip = Double.parseDouble(f[1]), expected = Double.parseDouble(f[2]),
                    lr = Double.parseDouble(f[3]);
            int epochs = Integer.parseInt(f[4]);
            try (InterestModel dp = InterestModel.create(cfg.withLearningRate(lr))) {
                DpSgdConfig dcfg = DpSgdConfig.calibrated(eps, delta, n, epochs, clip, expected,
                        DpSgdConfig.DEFAULT_EXAMPLES_PER_CUSTOMER_CAP);
                UserLevelDpTrainer t = new UserLevelDpTrainer(dp, dcfg, new SecureRandom());
                t.train(split.train(), epochs);
                RankingMetrics m = eval(dp, split, catalogue);
                System.out.printf(Locale.ROOT, "GRID eps=%s C=%s expected=%s lr=%s epochs=%d -> z=%.3f HR@10 %.3f NDCG@10 %.3f; %s%n",
                        f[0], f[1], f[2], f[3], epochs, dcfg.noiseMultiplier(), m.hitRate(), m.ndcg(), t.lastReport());
            }
        }
    }

    private static RankingMetrics eval(InterestModel m, TrainTestSplit split, ItemCatalogue catalogue) {
        return RankingEvaluator.evaluateCases(CaseScorer.ofTimed(m::score), split.test(), 10,
                catalogue.size());
    }
}
