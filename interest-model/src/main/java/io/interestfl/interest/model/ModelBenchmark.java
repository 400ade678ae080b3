package io.interestfl.interest.model;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.CustomerHistory;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Training-step benchmark on synthetic data:
 * {@code java -cp ... io.interestfl.interest.model.ModelBenchmark [arch=lstm|gru|attention|both|all] [catalogue=3667]
 * [embedding=32] [hidden=64] [batch=64] [length=20] [steps=40] [threads=1]}.
 * Prints the best of 4 repetitions of {@code steps} training steps, as wall-clock and thread-CPU
 * milliseconds per step (the CPU figure is less sensitive to other processes on a busy machine).
 * Run with {@code OMP_NUM_THREADS=1} (or the thread count given).
 */
public final class ModelBenchmark {
    private ModelBenchmark() {
    }

    /** Result of one benchmark: best wall and thread-CPU milliseconds per training step. */
    public record Result(String architecture, double wallMsPerStep, double cpuMsPerStep, int parameters) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: %.1f ms/step wall, %.1f ms/step cpu, %,d parameters",
                    architecture, wallMsPerStep, cpuMsPerStep, parameters);
        }
    }

    public static Result run(ModelConfig config, int steps) {
        List<CustomerHistory> data = synthetic(config, steps * config.batchSize());
        try (InterestModel m = InterestModel.create(config)) {
            m.train(data.subList(0, Math.min(data.size(), 5 * config.batchSize())), 1);   // warm-up
            double[] best = best(() -> m.train(data, 1).steps());
            return new Result(config.architecture(), best[0], best[1], m.parameterCount());
        }
    }

    /**
     * One step of per-customer DP-SGD ({@link UserLevelDpTrainer}: Poisson-sampled customers, one gradient per
     * customer, each clipped to L2 norm 1, summed, Gaussian noise of multiplier 1 added, Adam step) with an expected
     * {@code config.batchSize()} customers of one training example each per step, on the same synthetic data as
     * {@link #run}: the step a merchant's node takes under customer-level DP, at the same batch.
     */
    public static Result runDp(ModelConfig config, int steps) {
        List<CustomerHistory> data = synthetic(config, steps * config.batchSize());
        try (InterestModel m = InterestModel.create(config)) {
            DpSgdConfig dp = new DpSgdConfig(1.0, 1.0, config.batchSize(), 1);
            UserLevelDpTrainer trainer = new UserLevelDpTrainer(m, dp, new java.security.SecureRandom());
            trainer.train(data.subList(0, Math.min(data.size(), 3 * config.batchSize())), 1);   // warm-up
            double[] best = best(() -> trainer.train(data, 1).steps());
            return new Result(config.architecture() + " dp-sgd", best[0], best[1], m.parameterCount());
        }
    }

    /**
     * {@code customers} customers of two baskets (a history of {@code historyLength} items, then 5 items); for
     * "sasrec", {@code historyLength + 1} one-item baskets instead: one window a customer with a target at every
     * position, as the PyTorch peer trains.
     */
    private static List<CustomerHistory> synthetic(ModelConfig config, int customers) {
        int c = config.catalogueSize(), l = config.historyLength();
        Random r = new Random(1);
        List<CustomerHistory> data = new ArrayList<>();
        if (NetworkBuilder.sequenceOutput(config)) {
            for (int i = 0; i < customers; i++) {
                List<Basket> baskets = new ArrayList<>();
                for (int k = 0; k <= l; k++) {
                    baskets.add(new Basket(k, new int[]{2 + r.nextInt(c - 2)}));
                }
                data.add(new CustomerHistory(i, baskets));
            }
            return data;
        }
        for (int i = 0; i < customers; i++) {
            int[] history = new int[l];
            for (int k = 0; k < l; k++) {
                history[k] = 2 + r.nextInt(c - 2);
            }
            int[] next = new int[5];
            for (int k = 0; k < next.length; k++) {
                next[k] = 2 + r.nextInt(c - 2);
            }
            data.add(new CustomerHistory(i, List.of(new Basket(0, history), new Basket(1, next))));
        }
        return data;
    }

    /**
     * The softmax head alone, as in a training step of {@link InterestModel}: an {@code OutputLayer} (hidden x
     * catalogue, softmax, MCXENT) fitted with Adam on a fixed random hidden batch, with the labels built per
     * step as the model builds them (dense {@code [batch, catalogue]} rows, 5 items of weight 1/5). Compared
     * with {@link #run} at the same sizes it gives the head's share of a step.
     */
    public static Result runHead(ModelConfig config, int steps) {
        int c = config.catalogueSize(), h = config.hiddenSize(), b = config.batchSize();
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(config.seed())
                .dataType(DataType.FLOAT).updater(new Adam(config.learningRate())).graphBuilder().addInputs("h")
                .addLayer("out", NetworkBuilder.softmaxOutput(h, c), "h")
                .setOutputs("out").build());
        g.init();
        try {
            INDArray hidden = Nd4j.rand(DataType.FLOAT, b, h);
            Random r = new Random(1);
            Runnable step = () -> {
                float[] lab = new float[b * c];
                for (int i = 0; i < b; i++) {
                    for (int k = 0; k < 5; k++) {
                        lab[i * c + 2 + r.nextInt(c - 2)] = 0.2f;
                    }
                }
                g.fit(new INDArray[]{hidden}, new INDArray[]{Nd4j.create(lab, new long[]{b, c}, DataType.FLOAT)});
            };
            for (int s = 0; s < 5; s++) {
                step.run();   // warm-up
            }
            double[] best = best(() -> {
                for (int s = 0; s < steps; s++) {
                    step.run();
                }
                return steps;
            });
            return new Result("softmax head", best[0], best[1], Math.toIntExact(g.numParams()));
        } finally {
            g.close();
        }
    }

    /** Best of 4 repetitions of {@code rep} (which returns its step count): wall and thread-CPU ms per step. */
    private static double[] best(java.util.function.IntSupplier rep) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double wall = Double.MAX_VALUE, cpu = Double.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            long c0 = mx.getCurrentThreadCpuTime(), t0 = System.nanoTime();
            int steps = rep.getAsInt();
            long c1 = mx.getCurrentThreadCpuTime(), t1 = System.nanoTime();
            wall = Math.min(wall, (t1 - t0) / 1e6 / steps);
            cpu = Math.min(cpu, (c1 - c0) / 1e6 / steps);
        }
        return new double[]{wall, cpu};
    }

    public static void main(String[] args) {
        String arch = arg(args, 0, "both");
        int catalogue = Integer.parseInt(arg(args, 1, "3667"));
        int embedding = Integer.parseInt(arg(args, 2, "32"));
        int hidden = Integer.parseInt(arg(args, 3, "64"));
        int batch = Integer.parseInt(arg(args, 4, "64"));
        int length = Integer.parseInt(arg(args, 5, "20"));
        int steps = Integer.parseInt(arg(args, 6, "40"));
        int threads = Integer.parseInt(arg(args, 7, "1"));
        InterestModel.configureThreads(threads);
        List<String> archs = arch.equals("both") ? List.of(ModelConfig.LSTM, ModelConfig.ATTENTION)
                : arch.equals("all") ? ModelConfig.ARCHITECTURES : List.of(arch);
        for (String a : archs) {
            // item-only, like the PyTorch peer it is compared with (context inputs add three small lookups)
            ModelConfig cfg = new ModelConfig(a, catalogue, length, embedding, hidden, 1e-3, batch, 1, false);
            System.out.println("batch " + batch + " x length " + length + ", catalogue " + catalogue + ", embedding "
                    + embedding + ", hidden " + hidden + ", threads " + threads + " -> " + run(cfg, steps));
        }
    }

    /** Positional argument {@code i}, or {@code def} when absent (also for {@link UserLevelDpBenchmark}). */
    static String arg(String[] args, int i, String def) {
        return args.length > i ? args[i] : def;
    }
}
