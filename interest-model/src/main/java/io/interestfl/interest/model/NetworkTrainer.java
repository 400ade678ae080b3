package io.interestfl.interest.model;

import io.interestfl.interest.data.CustomerHistory;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Trains the network through its Adam updater (learning rate from the config): the shuffled mini-batch fit loop
 * of {@link InterestModel#train} with its epoch counter, and for user-level DP-SGD the true gradient of a
 * micro-batch and one optimizer step with an external gradient. Owns the optimizer state and its reset (see
 * "Parameters and optimizer state" in {@link InterestModel}'s class comment). Not synchronized: the model
 * calls it under its own lock.
 */
final class NetworkTrainer {
    private final ComputationGraph graph;
    private final long seed;
    private final int batchSize;
    private final ExampleBuilder examples;
    private final InputBatcher batcher;
    /** DP-SGD clips the gradient, so it must be the true one (DL4J doubles it under SameDiff layers). */
    private final SameDiffGradientCorrection sameDiffCorrection;
    /** "sasrec": steps through gradient() + applyGradient() (see train). */
    private final boolean perTargetSteps;
    private long epochCounter;
    private boolean gradientBuilt;           // SameDiff layers (GRU, attention) have built their gradient functions

    NetworkTrainer(ModelConfig config, ComputationGraph graph, ExampleBuilder examples, InputBatcher batcher) {
        this.graph = graph;
        this.seed = config.seed();
        this.batchSize = config.batchSize();   // targets per step (see #nextBatch)
        this.examples = examples;
        this.batcher = batcher;
        this.sameDiffCorrection = SameDiffGradientCorrection.of(graph);
        this.perTargetSteps = NetworkBuilder.sequenceOutput(config);
    }

    /** Rejects a negative epoch count (both trainers). */
    static void checkEpochs(int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
    }

    /**
     * Trains for {@code epochs} epochs over the examples of {@code train}, each epoch shuffled with
     * {@code new Random(seed + epochCounter)}. With no examples (or 0 epochs) returns zero steps without touching
     * the network.
     */
    TrainingStats train(List<CustomerHistory> train, int epochs) {
        if (perTargetSteps) {
            // "sasrec": fit would divide the batch's summed gradient by its rows, not by its targets (DL4J weighs
            // the label mask into the score but not into the gradient): step on the mean over targets instead
            return train(train, epochs, trueGradientStep(null));
        }
        return train(train, epochs, batch -> {
            InputBatcher.Batch in = batcher.batch(batch, 0, batch.size());
            MultiDataSet ds = new MultiDataSet(in.features(), new INDArray[]{batcher.labels(batch)}, in.masks(), null);
            backprop(() -> graph.fit(ds));
            return graph.score();
        });
    }

    /**
     * Like {@link #train(List, int)}, but every step adds {@code correction} (flat, parameter order) to the true mean
     * gradient of its batch before Adam turns it into an update: SCAFFOLD's drift correction (Karimireddy et al.
     * 2020), where the correction is the federation's mean gradient less this client's, both at the last global
     * model, so that local steps follow the federation's objective rather than this client's sample of it.
     */
    TrainingStats train(List<CustomerHistory> train, int epochs, float[] correction) {
        if (correction.length != graph.params().length()) {
            throw new IllegalArgumentException("correction has length " + correction.length + ", model has "
                    + graph.params().length());
        }
        return train(train, epochs, trueGradientStep(correction));
    }

    /** A step on the true mean gradient of its batch ({@link #gradient}) plus {@code correction} (null: none). */
    private Step trueGradientStep(float[] correction) {
        return batch -> {
            BatchGradient g = gradient(batch);
            float[] v = g.gradient();
            if (correction != null) {
                for (int i = 0; i < v.length; i++) {
                    v[i] += correction[i];
                }
            }
            applyGradient(v);
            return g.meanLoss();
        };
    }

    /**
     * Fills {@code batch} with the rows {@code order[from..]} until they hold {@code batchSize} targets (at least one
     * row) and returns their targets: {@code batchSize} rows for the one-label architectures; for "sasrec", whose
     * windows hold 1 to L - L/2 targets each (fewer where baskets have many items), as many windows as make up the
     * batch's targets.
     */
    private int nextBatch(List<Example> ex, int[] order, int from, List<Example> batch) {
        batch.clear();
        int targets = 0;
        for (int r = from; r < order.length && (batch.isEmpty() || targets < batchSize); r++) {
            Example e = ex.get(order[r]);
            batch.add(e);
            targets += e.targets();
        }
        return targets;
    }

    /** The prediction targets of {@code rows} (one per row, or per labelled position of a "sasrec" window). */
    static int targets(List<Example> rows) {
        int n = 0;
        for (Example e : rows) {
            n += e.targets();
        }
        return n;
    }

    /** One optimizer step on a batch; returns the batch's mean loss per target. */
    private interface Step {
        double apply(List<Example> batch);
    }

    /**
     * The shuffled mini-batch loop both trainers share: {@code epochs} epochs over the examples of {@code train},
     * each shuffled with {@code new Random(seed + epochCounter)}, one {@code step} per batch.
     */
    private TrainingStats train(List<CustomerHistory> train, int epochs, Step step) {
        checkEpochs(epochs);
        long t0 = System.nanoTime();
        List<Example> ex = examples.examples(train);
        int targets = targets(ex);
        if (ex.isEmpty() || epochs == 0) {
            return new TrainingStats(0, targets, 0, (System.nanoTime() - t0) / 1e9);
        }
        int[] order = new int[ex.size()];
        double lossSum = 0;
        long lossCount = 0;
        int steps = 0;
        List<Example> batch = new ArrayList<>(batchSize);
        for (int epoch = 0; epoch < epochs; epoch++) {
            shuffle(order, new Random(seed + epochCounter));
            epochCounter++;
            for (int from = 0; from < order.length; from += batch.size()) {
                int t = nextBatch(ex, order, from, batch);
                lossSum += step.apply(batch) * t;
                lossCount += t;
                steps++;
            }
        }
        double meanLoss = lossCount == 0 ? 0 : lossSum / lossCount;
        return new TrainingStats(meanLoss, targets, steps, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The true gradient of the mean loss over every example of {@code train} at the current parameters (batch by
     * batch, weighted by batch size), or null when there is none. Changes neither parameters nor optimizer state.
     */
    float[] meanGradient(List<CustomerHistory> train) {
        List<Example> ex = examples.examples(train);
        if (ex.isEmpty()) {
            return null;
        }
        double[] sum = new double[(int) graph.params().length()];
        int[] inOrder = new int[ex.size()];
        for (int i = 0; i < inOrder.length; i++) {
            inOrder[i] = i;
        }
        List<Example> batch = new ArrayList<>(batchSize);
        for (int from = 0; from < ex.size(); from += batch.size()) {
            int t = nextBatch(ex, inOrder, from, batch);
            float[] g = gradient(batch).gradient();
            for (int i = 0; i < g.length; i++) {
                sum[i] += (double) g[i] * t;
            }
        }
        int targets = targets(ex);
        float[] out = new float[sum.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (sum[i] / targets);
        }
        return out;
    }

    /** Sets {@code order} to 0..n-1 and Fisher-Yates shuffles it with {@code rnd}. */
    private static void shuffle(int[] order, Random rnd) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /**
     * Gradient of the <b>mean</b> loss over {@code batch} (non-empty) w.r.t. all parameters, as a fresh flat
     * array in parameter order. Changes neither the parameters nor the optimizer state.
     */
    BatchGradient gradient(List<Example> batch) {
        int b = batch.size();
        if (b == 0) {
            throw new IllegalArgumentException("empty micro-batch");
        }
        InputBatcher.Batch in = batcher.batch(batch, 0, b);
        INDArray labelMask = batcher.labelMask(batch);
        graph.setInputs(in.features());
        graph.setLabels(batcher.labels(batch));
        graph.setLayerMaskArrays(in.masks(), labelMask == null ? null : new INDArray[]{labelMask});
        backprop(graph::computeGradientAndScore);
        INDArray g = graph.gradient().gradient();
        // DL4J's gradient is the sum over the batch's targets (fit divides it by b rows) and its score the summed
        // loss over b: a "sasrec" window has a target at every labelled position
        int targets = targets(batch);
        double loss = graph.score() * b / targets;
        float[] out = g.toFloatVector();
        sameDiffCorrection.apply(out);
        if (targets > 1) {
            float inv = 1f / targets;
            for (int i = 0; i < out.length; i++) {
                out[i] *= inv;
            }
        }
        return new BatchGradient(out, loss);
    }

    /** Turns a {@link #gradient} back into DL4J's own gradient, the one {@code fit} applies (tests). */
    float[] asFitGradient(float[] trueGradient) {
        float[] out = trueGradient.clone();
        sameDiffCorrection.undo(out);
        return out;
    }

    /**
     * One optimizer step with an externally computed gradient (of a mean loss, flat in parameter order): Adam
     * turns it into an update exactly as {@code fit} would, the update is subtracted from the parameters and the
     * iteration count advances. The array is not modified.
     */
    void applyGradient(float[] gradient) {
        INDArray flat = graph.params();
        long n = flat.length();
        if (gradient.length != n) {
            throw new IllegalArgumentException("gradient has length " + gradient.length + ", model has " + n);
        }
        INDArray g = Nd4j.create(gradient.clone(), flat.shape(), DataType.FLOAT);
        Gradient external = new DefaultGradient(g);
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        ComputationGraphConfiguration gc = graph.getConfiguration();
        int it = gc.getIterationCount();
        graph.getUpdater(true).update(external, it, gc.getEpochCount(), 1, ws);
        graph.params().subi(g);
        gc.setIterationCount(it + 1);
    }

    /** Zeroes Adam's moment estimates and the iteration/epoch counts used for bias correction. */
    void resetOptimizerState() {
        BaseMultiLayerUpdater<?> b = graph.getUpdater(true);
        if (b != null && b.getStateViewArray() != null) {
            b.getStateViewArray().assign(0);
        }
        graph.getConfiguration().setIterationCount(0);
        graph.getConfiguration().setEpochCount(0);
    }

    /**
     * Adam's moment estimates (a copy of the updater's state view, empty before the first step) followed by the
     * iteration count used for bias correction and the shuffling epoch counter: restored onto the parameters
     * it was taken with, training goes on exactly as if it had never stopped.
     */
    float[] optimizerState() {
        BaseMultiLayerUpdater<?> b = graph.getUpdater(true);
        float[] view = b == null || b.getStateViewArray() == null ? new float[0] : b.getStateViewArray().toFloatVector();
        float[] out = java.util.Arrays.copyOf(view, view.length + 2);
        out[view.length] = graph.getConfiguration().getIterationCount();
        out[view.length + 1] = epochCounter;
        return out;
    }

    /** Puts back a state from {@link #optimizerState()} of the same network. */
    void restoreOptimizerState(float[] state) {
        BaseMultiLayerUpdater<?> b = graph.getUpdater(true);
        long n = b == null || b.getStateViewArray() == null ? 0 : b.getStateViewArray().length();
        if (state.length != n + 2) {
            throw new IllegalArgumentException("optimizer state has " + state.length + " values, this network's has "
                    + (n + 2));
        }
        if (n > 0) {
            INDArray view = b.getStateViewArray();
            view.assign(Nd4j.create(java.util.Arrays.copyOf(state, (int) n), view.shape(), DataType.FLOAT));
        }
        graph.getConfiguration().setIterationCount((int) state[(int) n]);
        epochCounter = (long) state[(int) n + 1];
    }

    /** Restarts the shuffling epoch counter at 0 (a new global model arrived). */
    void restartEpochs() {
        epochCounter = 0;
    }

    /**
     * Runs a backward pass. The first one builds the gradient functions of the SameDiff layers (the GRU, DL4J's
     * self-attention), which print a line per op to System.out (about 300 for a GRU over 20 steps): those lines
     * are dropped (see {@link GruLayer#quietly}).
     */
    private void backprop(Runnable pass) {
        if (gradientBuilt) {
            pass.run();
        } else {
            GruLayer.quietly(pass);
            gradientBuilt = true;
        }
    }
}
