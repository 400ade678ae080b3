package io.interestfl.client.model;

import io.interestfl.client.data.Basket;
import io.interestfl.client.data.CustomerHistory;
import io.interestfl.client.data.ItemCatalogue;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Next-basket interest model over a fixed item catalogue, built with DL4J.
 *
 * <h2>Architectures</h2>
 * <ul>
 *   <li>{@code "lstm"}: a {@link MultiLayerNetwork} {@code EmbeddingSequenceLayer(catalogueSize ->
 *       embedding) -> LastTimeStep(LSTM(hidden, tanh)) -> OutputLayer(softmax over the catalogue, MCXENT)}.</li>
 *   <li>{@code "attention"}: a {@link ComputationGraph} with inputs {@code items} and {@code positions}
 *       (always 0..L-1): item {@code EmbeddingSequenceLayer} + position {@code EmbeddingSequenceLayer}
 *       ({@code ElementWiseVertex(Add)}) -> {@code SelfAttentionLayer} (projected, 2 heads when hidden is
 *       even) -> masked average {@code GlobalPoolingLayer} -> softmax output over the catalogue.</li>
 * </ul>
 * Input: the last {@code historyLength} item ids, left-padded with 0, most recent last. A feature mask
 * marks padded positions (0) so that they are ignored by the LSTM's last-step selection and by the
 * attention/pooling. An empty history is fed as a single padding token with mask 1 at the last position.
 * Ids outside {@code [0, catalogueSize)} are fed as OOV (1). No {@code setInputType} is used (it would
 * override the embeddings' nIn); every nIn is explicit and all layers use NCW.
 *
 * <h2>Training examples</h2>
 * For every customer and every training basket {@code i >= 1}: input = the last {@code historyLength}
 * item ids of baskets {@code 0..i-1}; label = the items of basket {@code i} without padding and OOV as a
 * normalized multi-hot distribution (each of the n items gets 1/n); examples whose label would be empty
 * are skipped. Each epoch the examples are shuffled with {@code new Random(config.seed() + epochCounter)}
 * where {@code epochCounter} counts the epochs trained since the model was created or last received
 * parameters through {@link #setParameters} (which resets it to 0).
 * Optimizer: Adam with the configured learning rate (DL4J defaults beta1 0.9, beta2 0.999, eps 1e-8).
 *
 * <h2>Parameters and optimizer state</h2>
 * {@link #parameters()} is a copy of DL4J's flat {@code params()} vector: layers in network order
 * (for the graph, topological order), inside each layer DL4J's parameter order, each parameter matrix
 * flattened column-major ('f' order, as DL4J stores its parameter views); see
 * {@link #parameterShapes()} for names, shapes and order. For "lstm":
 * {@code 0_W [C,E], 1_W [E,4H], 1_RW [H,4H], 1_b [4H], 2_W [H,C], 2_b [C]}; for "attention":
 * {@code itemEmb_W [C,E], posEmb_W [L,E], attention_Wq/Wk/Wv [heads,headSize,E], attention_Wo
 * [heads*headSize,H], out_W [H,C], out_b [C]} (C catalogue size, E embedding, H hidden, L history length). <b>Adam state policy:</b> {@link #setParameters}
 * (used when a new global model arrives) <b>resets the Adam moment estimates to zero, DL4J's iteration
 * and epoch counts and the shuffling epoch counter to 0</b>, so a client's local update is a deterministic
 * function of the global model it received, its local data and the config: no optimizer state leaks
 * from one round into the next, and Adam's bias correction restarts (its first steps are therefore
 * full-size, lr-bounded steps). A model that has trained and then receives parameters behaves
 * exactly like a freshly created one that receives them (tested). Within one
 * {@link #train} call and across consecutive train calls without setParameters the Adam state carries on.
 *
 * <h2>Threads</h2>
 * All public methods are synchronized (DL4J networks are not thread-safe); use one model per
 * training thread. ND4J workspaces are per thread, so reusing one thread per model is cheapest.
 * Call {@link #configureThreads(int)} once per process (and set OMP_NUM_THREADS before the JVM starts).
 */
public final class InterestModel implements AutoCloseable {
    /** Histories per forward pass in {@link #score}. */
    static final int SCORE_BATCH = 256;

    private final ModelConfig config;
    private final MultiLayerNetwork mln;     // lstm
    private final ComputationGraph graph;    // attention
    private final INDArray positions;        // attention: [1, L] 0..L-1 (broadcast per batch by copy)
    private long epochCounter;
    private boolean closed;

    private InterestModel(ModelConfig config, MultiLayerNetwork mln, ComputationGraph graph) {
        this.config = config;
        this.mln = mln;
        this.graph = graph;
        float[] pos = new float[config.historyLength()];
        for (int i = 0; i < pos.length; i++) {
            pos[i] = i;
        }
        this.positions = Nd4j.create(pos, new long[]{1, pos.length}, DataType.FLOAT);
    }

    /**
     * Sets ND4J's master/OpenMP threads and the BLAS (OpenBLAS) threads to {@code n}. Process-wide.
     * On a 2-core machine {@code n = 1} (and {@code OMP_NUM_THREADS=1} in the environment) is fastest.
     */
    public static void configureThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + n);
        }
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        Nd4j.getEnvironment().setMaxThreads(n);
        Nd4j.factory().blas().setMaxThreads(n);
    }

    /** Builds and initialises a model (weights from {@code config.seed()}, Xavier init). */
    public static InterestModel create(ModelConfig config) {
        int c = config.catalogueSize(), l = config.historyLength(), e = config.embeddingSize(),
                h = config.hiddenSize();
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(config.seed())
                .dataType(DataType.FLOAT)
                .updater(new Adam(config.learningRate()))
                .weightInit(WeightInit.XAVIER);
        if (config.architecture().equals(ModelConfig.LSTM)) {
            MultiLayerConfiguration conf = base.list()
                    .layer(new EmbeddingSequenceLayer.Builder().nIn(c).nOut(e).inputLength(l).hasBias(false)
                            .outputDataFormat(RNNFormat.NCW).build())
                    .layer(new LastTimeStep(new LSTM.Builder().nIn(e).nOut(h).activation(Activation.TANH)
                            .dataFormat(RNNFormat.NCW).build()))
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(h).nOut(c)
                            .activation(Activation.SOFTMAX).build())
                    .build();
            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init();
            return new InterestModel(config, net, null);
        }
        int heads = config.attentionHeads();
        ComputationGraphConfiguration conf = base.graphBuilder()
                .addInputs("items", "positions")
                .addLayer("itemEmb", new EmbeddingSequenceLayer.Builder().nIn(c).nOut(e).inputLength(l)
                        .hasBias(false).outputDataFormat(RNNFormat.NCW).build(), "items")
                .addLayer("posEmb", new EmbeddingSequenceLayer.Builder().nIn(l).nOut(e).inputLength(l)
                        .hasBias(false).outputDataFormat(RNNFormat.NCW).build(), "positions")
                .addVertex("sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), "itemEmb", "posEmb")
                .addLayer("attention", new SelfAttentionLayer.Builder().nIn(e).nOut(h).nHeads(heads)
                        .headSize(h / heads).projectInput(true).build(), "sum")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "attention")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(h).nOut(c)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return new InterestModel(config, null, g);
    }

    public ModelConfig config() {
        return config;
    }

    /** Length of the flat parameter vector. */
    public synchronized int parameterCount() {
        checkOpen();
        return Math.toIntExact(flat().length());
    }

    /** A copy of the flat parameter vector (DL4J {@code params()} order, see {@link #parameterShapes()}). */
    public synchronized float[] parameters() {
        checkOpen();
        return flat().toFloatVector();
    }

    /**
     * Parameter names ({@code layer_param}, e.g. {@code 1_W}, {@code 1_RW}, {@code 1_b} or
     * {@code attention_Wq}) with their shapes, in the order they occupy the flat vector.
     */
    public synchronized Map<String, long[]> parameterShapes() {
        checkOpen();
        Map<String, INDArray> table = mln != null ? mln.paramTable() : graph.paramTable();
        Map<String, long[]> out = new LinkedHashMap<>();
        table.forEach((k, v) -> out.put(k, v.shape()));
        return out;
    }

    /**
     * Replaces all parameters (e.g. with a new global model) and resets the Adam state and iteration
     * count (see the class comment). The array is copied.
     *
     * @throws IllegalArgumentException if {@code p.length != parameterCount()} or a value is not finite
     */
    public synchronized void setParameters(float[] p) {
        checkOpen();
        long n = flat().length();
        if (p.length != n) {
            throw new IllegalArgumentException("parameter vector has length " + p.length + " but this "
                    + config.architecture() + " model (" + config + ") has " + n + " parameters");
        }
        for (int i = 0; i < p.length; i++) {
            if (!Float.isFinite(p[i])) {
                throw new IllegalArgumentException("parameter " + i + " is not finite: " + p[i]);
            }
        }
        INDArray v = Nd4j.create(p, new long[]{1, p.length}, DataType.FLOAT);
        flat().assign(v.reshape(flat().shape()));
        resetOptimizerState();
        epochCounter = 0;
    }

    /** Zeroes Adam's moment estimates and the iteration/epoch counts used for bias correction. */
    public synchronized void resetOptimizerState() {
        checkOpen();
        if (mln != null) {
            Updater u = mln.getUpdater(true);
            if (u instanceof BaseMultiLayerUpdater<?> b && b.getStateViewArray() != null) {
                b.getStateViewArray().assign(0);
            }
            mln.setIterationCount(0);
            mln.setEpochCount(0);
        } else {
            BaseMultiLayerUpdater<?> b = graph.getUpdater(true);
            if (b != null && b.getStateViewArray() != null) {
                b.getStateViewArray().assign(0);
            }
            graph.getConfiguration().setIterationCount(0);
            graph.getConfiguration().setEpochCount(0);
        }
    }

    private INDArray flat() {
        return mln != null ? mln.params() : graph.params();
    }

    /** One training example: padded input ids (length historyLength) and distinct label item ids. */
    record Example(int[] input, int[] label) {
    }

    /** Builds the training examples (see class comment). */
    List<Example> examples(List<CustomerHistory> train) {
        int l = config.historyLength(), c = config.catalogueSize();
        List<Example> out = new ArrayList<>();
        for (CustomerHistory ch : train) {
            List<Basket> baskets = ch.baskets();
            int[] ring = new int[l];   // last l items so far, most recent at index (count-1) % l
            long count = 0;
            for (int i = 0; i < baskets.size(); i++) {
                Basket b = baskets.get(i);
                if (i >= 1) {
                    int[] label = labelOf(b, c);
                    if (label.length > 0) {
                        int[] input = new int[l];
                        int have = (int) Math.min(count, l);
                        for (int k = 0; k < have; k++) {
                            // position l-1-k gets the k-th most recent item
                            input[l - 1 - k] = ring[(int) ((count - 1 - k) % l)];
                        }
                        out.add(new Example(input, label));
                    }
                }
                for (int j = 0; j < b.size(); j++) {
                    ring[(int) (count % l)] = clampId(b.item(j), c);
                    count++;
                }
            }
        }
        return out;
    }

    private static int[] labelOf(Basket b, int c) {
        int[] tmp = new int[b.size()];
        int n = 0;
        for (int j = 0; j < b.size(); j++) {
            int id = b.item(j);
            if (id >= ItemCatalogue.RESERVED && id < c) {
                boolean dup = false;
                for (int k = 0; k < n; k++) {
                    if (tmp[k] == id) {
                        dup = true;
                        break;
                    }
                }
                if (!dup) {
                    tmp[n++] = id;
                }
            }
        }
        return java.util.Arrays.copyOf(tmp, n);
    }

    private static int clampId(int id, int c) {
        return id >= 0 && id < c ? id : ItemCatalogue.OOV;
    }

    /**
     * Trains for {@code epochs} epochs over the examples of {@code train} (see class comment).
     * With no examples (or 0 epochs) returns zero steps without touching the model.
     */
    public synchronized TrainingStats train(List<CustomerHistory> train, int epochs) {
        checkOpen();
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        long t0 = System.nanoTime();
        List<Example> ex = examples(train);
        if (ex.isEmpty() || epochs == 0) {
            return new TrainingStats(0, ex.size(), 0, (System.nanoTime() - t0) / 1e9);
        }
        int bs = config.batchSize(), l = config.historyLength(), c = config.catalogueSize();
        int[] order = new int[ex.size()];
        double lossSum = 0;
        long lossCount = 0;
        int steps = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            Random rnd = new Random(config.seed() + epochCounter);
            epochCounter++;
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            for (int i = order.length - 1; i > 0; i--) {   // Fisher-Yates
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int from = 0; from < order.length; from += bs) {
                int b = Math.min(bs, order.length - from);
                float[] feat = new float[b * l];
                float[] mask = new float[b * l];
                float[] lab = new float[b * c];
                for (int r = 0; r < b; r++) {
                    Example e = ex.get(order[from + r]);
                    fillInput(e.input(), feat, mask, r * l, l);
                    float w = 1f / e.label().length;
                    for (int id : e.label()) {
                        lab[r * c + id] = w;
                    }
                }
                INDArray f = Nd4j.create(feat, new long[]{b, l}, DataType.FLOAT);
                INDArray m = Nd4j.create(mask, new long[]{b, l}, DataType.FLOAT);
                INDArray y = Nd4j.create(lab, new long[]{b, c}, DataType.FLOAT);
                double loss;
                if (mln != null) {
                    mln.fit(f, y, m, null);
                    loss = mln.score();
                } else {
                    graph.fit(new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[]{f, positionsFor(b)},
                            new INDArray[]{y}, new INDArray[]{m, m}, null));
                    loss = graph.score();
                }
                lossSum += loss * b;
                lossCount += b;
                steps++;
            }
        }
        double meanLoss = lossCount == 0 ? 0 : lossSum / lossCount;
        return new TrainingStats(meanLoss, ex.size(), steps, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Writes one input row: the given ids (already padded to length l, or a raw history to be truncated
     * to its last l items) into feat/mask at offset {@code off}. Padding (id 0) positions get mask 0; the
     * last position always gets mask 1 so an all-padding history still has one valid step.
     */
    private void fillInput(int[] ids, float[] feat, float[] mask, int off, int l) {
        int c = config.catalogueSize();
        int n = Math.min(ids.length, l);
        int src = ids.length - n;
        int dst = off + l - n;
        for (int k = 0; k < n; k++) {
            int id = clampId(ids[src + k], c);
            feat[dst + k] = id;
            mask[dst + k] = id == ItemCatalogue.PAD ? 0f : 1f;
        }
        mask[off + l - 1] = 1f;
    }

    private INDArray positionsFor(int b) {
        return positions.repeat(0, b);
    }

    // ---- user-level DP support (UserLevelDpTrainer): gradient of a micro-batch, apply a given gradient ----

    /** Gradient of a micro-batch: flat, in {@link #parameters()} order, and the mean loss before any step. */
    record BatchGradient(float[] gradient, double meanLoss) {
    }

    /**
     * Gradient of the <b>mean</b> loss over {@code batch} (non-empty) w.r.t. all parameters, as a fresh flat
     * array in {@link #parameters()} order. Changes neither the parameters nor the optimizer state.
     */
    synchronized BatchGradient dpBatchGradient(List<Example> batch) {
        checkOpen();
        int b = batch.size(), l = config.historyLength(), c = config.catalogueSize();
        if (b == 0) {
            throw new IllegalArgumentException("empty micro-batch");
        }
        float[] feat = new float[b * l];
        float[] mask = new float[b * l];
        float[] lab = new float[b * c];
        for (int r = 0; r < b; r++) {
            Example e = batch.get(r);
            fillInput(e.input(), feat, mask, r * l, l);
            float w = 1f / e.label().length;
            for (int id : e.label()) {
                lab[r * c + id] = w;
            }
        }
        INDArray f = Nd4j.create(feat, new long[]{b, l}, DataType.FLOAT);
        INDArray m = Nd4j.create(mask, new long[]{b, l}, DataType.FLOAT);
        INDArray y = Nd4j.create(lab, new long[]{b, c}, DataType.FLOAT);
        INDArray g;
        double loss;
        if (mln != null) {
            mln.setInput(f);
            mln.setLabels(y);
            mln.setLayerMaskArrays(m, null);
            mln.computeGradientAndScore();
            g = mln.gradient().gradient();
            loss = mln.score();   // no clear(): MultiLayerNetwork.clear() drops the solver, i.e. the Adam state
        } else {
            graph.setInputs(f, positionsFor(b));
            graph.setLabels(y);
            graph.setLayerMaskArrays(new INDArray[]{m, m}, null);
            graph.computeGradientAndScore();
            g = graph.gradient().gradient();
            loss = graph.score();
        }
        float[] out = g.toFloatVector();   // DL4J's gradient is the sum over the batch (fit divides by b)
        if (b > 1) {
            float inv = 1f / b;
            for (int i = 0; i < out.length; i++) {
                out[i] *= inv;
            }
        }
        return new BatchGradient(out, loss);
    }

    /**
     * One optimizer step with an externally computed gradient (of a mean loss, flat in {@link #parameters()}
     * order): Adam turns it into an update exactly as {@code fit} would, the update is subtracted from the
     * parameters and the iteration count advances. The array is not modified.
     */
    synchronized void dpApplyGradient(float[] gradient) {
        checkOpen();
        long n = flat().length();
        if (gradient.length != n) {
            throw new IllegalArgumentException("gradient has length " + gradient.length + ", model has " + n);
        }
        INDArray g = Nd4j.create(gradient.clone(), flat().shape(), DataType.FLOAT);
        org.deeplearning4j.nn.gradient.Gradient external = new org.deeplearning4j.nn.gradient.DefaultGradient(g);
        org.deeplearning4j.nn.workspace.LayerWorkspaceMgr ws = org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces();
        if (mln != null) {
            int it = mln.getIterationCount();
            ((BaseMultiLayerUpdater<?>) mln.getUpdater(true)).update(external, it, mln.getEpochCount(), 1, ws);
            mln.params().subi(g);
            mln.setIterationCount(it + 1);
        } else {
            ComputationGraphConfiguration gc = graph.getConfiguration();
            int it = gc.getIterationCount();
            graph.getUpdater(true).update(external, it, gc.getEpochCount(), 1, ws);
            graph.params().subi(g);
            gc.setIterationCount(it + 1);
        }
    }

    /** Features and padding mask ([b, historyLength] each) for histories {@code from .. from + b - 1}. */
    private INDArray[] batchInput(int[][] histories, int from, int b) {
        int l = config.historyLength();
        float[] feat = new float[b * l];
        float[] mask = new float[b * l];
        for (int r = 0; r < b; r++) {
            fillInput(histories[from + r], feat, mask, r * l, l);
        }
        return new INDArray[]{Nd4j.create(feat, new long[]{b, l}, DataType.FLOAT),
                Nd4j.create(mask, new long[]{b, l}, DataType.FLOAT)};
    }

    /**
     * Softmax scores over the whole catalogue for each history (item ids, most recent last; truncated
     * to the last {@code historyLength} items, left-padded). Row {@code u} has length
     * {@code catalogueSize}. Runs in batches of {@value #SCORE_BATCH}.
     */
    public synchronized float[][] score(int[][] histories) {
        checkOpen();
        float[][] out = new float[histories.length][];
        for (int from = 0; from < histories.length; from += SCORE_BATCH) {
            int b = Math.min(SCORE_BATCH, histories.length - from);
            INDArray[] input = batchInput(histories, from, b);
            INDArray f = input[0];
            INDArray m = input[1];
            INDArray o;
            if (mln != null) {
                o = mln.output(f, false, m, null);
            } else {
                o = graph.output(false, new INDArray[]{f, positionsFor(b)}, new INDArray[]{m, m})[0];
            }
            float[][] rows = o.toFloatMatrix();
            System.arraycopy(rows, 0, out, from, b);
        }
        return out;
    }

    // ---- serving support (issue 6, client.serving / client.policy): item vectors and customer vectors ----

    /**
     * The output layer as item vectors: row {@code i} is item {@code i}'s weight column of the softmax layer
     * ({@code out_W[:, i]}, length hidden) and the last row is the bias ({@code out_b}, length catalogue).
     * So {@code score(h)[u][i] = softmax_i(customerRepresentation(h)[u] . itemEmbeddings()[i] + bias[i])}.
     */
    public synchronized float[][] itemEmbeddings() {
        checkOpen();
        INDArray w = mln != null ? mln.getLayer(2).getParam("W") : graph.getLayer("out").getParam("W");
        INDArray b = mln != null ? mln.getLayer(2).getParam("b") : graph.getLayer("out").getParam("b");
        float[][] wt = w.transpose().toFloatMatrix();   // [C, H]
        float[][] out = new float[wt.length + 1][];
        System.arraycopy(wt, 0, out, 0, wt.length);
        out[wt.length] = b.toFloatVector();
        return out;
    }

    /**
     * The vector that feeds the output layer for each history (the LSTM's last hidden state, or the pooled
     * attention output): length hidden. Histories as in {@link #score}.
     */
    public synchronized float[][] customerRepresentation(int[][] histories) {
        checkOpen();
        float[][] out = new float[histories.length][];
        for (int from = 0; from < histories.length; from += SCORE_BATCH) {
            int b = Math.min(SCORE_BATCH, histories.length - from);
            INDArray[] input = batchInput(histories, from, b);
            INDArray f = input[0];
            INDArray m = input[1];
            INDArray h;
            if (mln != null) {
                mln.setLayerMaskArrays(m, null);
                h = mln.feedForwardToLayer(1, f, false).get(2);
                mln.clearLayerMaskArrays();
            } else {
                graph.setLayerMaskArrays(new INDArray[]{m, m}, null);
                h = graph.feedForward(new INDArray[]{f, positionsFor(b)}, false).get("pool");
                graph.clearLayerMaskArrays();
            }
            float[][] rows = h.toFloatMatrix();
            System.arraycopy(rows, 0, out, from, b);
        }
        return out;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("InterestModel is closed");
        }
    }

    /** Releases the network's native memory; further calls throw {@link IllegalStateException}. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            if (mln != null) {
                mln.close();
            } else {
                graph.close();
            }
        }
    }
}
