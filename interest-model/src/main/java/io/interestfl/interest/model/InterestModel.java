package io.interestfl.interest.model;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.Behaviour;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.ItemCatalogue;
import io.interestfl.interest.data.TimedHistory;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
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
 * Next-basket interest model over a fixed item catalogue, built with DL4J (a {@link ComputationGraph}
 * for every architecture).
 *
 * <h2>Architectures</h2>
 * <ul>
 *   <li>{@code "lstm"}: input embedding (below) {@code -> LastTimeStep(LSTM(hidden, tanh)) ->
 *       OutputLayer(softmax over the catalogue, MCXENT)}.</li>
 *   <li>{@code "gru"}: input embedding {@code -> GruLayer(hidden)} (a SameDiff GRU whose output is the
 *       state after the last step; padded steps keep the state, see {@link GruLayer})
 *       {@code -> OutputLayer(softmax over the catalogue, MCXENT)}. DL4J has no GRU layer.</li>
 *   <li>{@code "attention"}: input embedding plus a position embedding (positions always 0..L-1)
 *       -> {@code SelfAttentionLayer} (projected, 2 heads when hidden is even) -> masked average
 *       {@code GlobalPoolingLayer} -> softmax output over the catalogue.</li>
 * </ul>
 * <b>Input embedding.</b> Each of the last {@code historyLength} history items (left-padded, most
 * recent last) is fed as its item embedding ({@code itemEmb}, an {@code EmbeddingSequenceLayer} over
 * the catalogue). With {@link ModelConfig#contextInputs()} three more embeddings of the same width are
 * added to it ({@code ElementWiseVertex(Add)}), so that the model can follow how interests evolve:
 * <ul>
 *   <li>{@code gapEmb}: the time since the previous item of the history ({@link #timeBucket} buckets:
 *       same basket, &lt;1 hour, &lt;1 day, &lt;1 week, &lt;30 days, &lt;90 days, longer; 0 = unknown,
 *       i.e. the customer's first item or no timestamps). It tells a burst of visits from a return
 *       after months.</li>
 *   <li>{@code ageEmb}: the time from the item to the prediction time ({@link TimedHistory#at()}: the
 *       label basket in training, the held-out basket in evaluation, "now" when serving), same
 *       buckets. This is how long gaps weaken old interests: attention and the LSTM can learn to
 *       discount items whose age bucket is large.</li>
 *   <li>{@code behEmb}: the behaviour ({@link Behaviour}: view, cart, favorite, buy; rows 1..4,
 *       0 = padding). Online Retail is all purchases (a constant row, in effect a bias).</li>
 * </ul>
 * Graph inputs in order: {@code items}, ({@code positions} for attention), then with context inputs
 * {@code gaps}, {@code ages}, {@code behaviours}: each {@code [batch, historyLength]} of indices as
 * floats, all with the same feature mask. The mask marks padded positions (0) so that they are
 * ignored by the LSTM's last-step selection, skipped by the GRU and ignored by the attention/pooling.
 * Attention and GRU rows are
 * left-padded (most recent item last); LSTM rows are right-padded (items first, LastTimeStep takes the
 * last unmasked step), because DL4J's masked LSTM gets the bias gradient wrong on left padding. An
 * empty history is fed as a single padding token with mask 1 (the last position, or the first for the
 * LSTM). DP-SGD gets the true gradient: see {@link SameDiffGradientCorrection} for attention. Ids outside {@code [0, catalogueSize)} are
 * fed as OOV (1). Item-only histories ({@code score(int[][])}) have unknown times (bucket 0) and
 * every item bought. No {@code setInputType} is used (it would override the embeddings' nIn); every
 * nIn is explicit and all layers use NCW.
 *
 * <h2>Training examples</h2>
 * For every customer and every training basket {@code i >= 1}: input = the last {@code historyLength}
 * items of baskets {@code 0..i-1} (each with its basket's time and behaviour) predicted at basket
 * {@code i}'s time; label = the items of basket {@code i} without padding and OOV as a
 * normalized multi-hot distribution (each of the n items gets 1/n); examples whose label would be empty
 * are skipped. Each epoch the examples are shuffled with {@code new Random(config.seed() + epochCounter)}
 * where {@code epochCounter} counts the epochs trained since the model was created or last received
 * parameters through {@link #setParameters} (which resets it to 0).
 * Optimizer: Adam with the configured learning rate (DL4J defaults beta1 0.9, beta2 0.999, eps 1e-8).
 *
 * <h2>Parameters and optimizer state</h2>
 * {@link #parameters()} is a copy of DL4J's flat {@code params()} vector: layers in the graph's
 * topological order, inside each layer DL4J's parameter order, each parameter matrix flattened
 * column-major ('f' order, as DL4J stores its parameter views); see {@link #parameterShapes()} for
 * names, shapes and order. It depends only on the config, so every node builds the same layout. For
 * "lstm": {@code itemEmb_W [C,E], lstm_W [E,4H], lstm_RW [H,4H], lstm_b [4H], out_W [H,C], out_b [C]};
 * for "gru": {@code itemEmb_W [C,E], gru_W [E,3H], gru_RW [H,3H], gru_b [3H], out_W [H,C], out_b [C]}
 * (gate blocks r, z, c; the GRU's matrices are flattened row-major, 'c' order, as DL4J stores SameDiff
 * layer parameters);
 * for "attention": {@code itemEmb_W [C,E], posEmb_W [L,E], attention_Wq/Wk/Wv [heads,headSize,E],
 * attention_Wo [heads*headSize,H], out_W [H,C], out_b [C]} (C catalogue size, E embedding, H hidden,
 * L history length). Context inputs add {@code gapEmb_W [8,E], ageEmb_W [8,E], behEmb_W [5,E]}
 * ({@code 21 E} parameters, zero-initialised; their place in the order: {@link #parameterShapes()}). <b>Adam state policy:</b> {@link #setParameters}
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
    /** Rows of the gap and age embeddings: 0 unknown, then {@link #timeBucket} 1..7. */
    public static final int TIME_BUCKETS = 8;
    /** Rows of the behaviour embedding: 0 padding, then 1 + {@link Behaviour#code()}. */
    public static final int BEHAVIOUR_ROWS = 1 + Behaviour.values().length;

    private static final long HOUR = 3600, DAY = 24 * HOUR;

    private final ModelConfig config;
    private final ComputationGraph graph;
    private final String hiddenVertex;      // the vertex that feeds the output layer: "lstm", "gru" or "pool"
    private final INDArray positions;        // attention: [1, L] 0..L-1 (broadcast per batch by copy)
    private long epochCounter;
    private boolean gradientBuilt;           // SameDiff layers (GRU, attention) have built their gradient functions
    private boolean closed;
    /** DP-SGD clips the gradient, so it must be the true one (DL4J doubles it under SameDiff layers). */
    private final SameDiffGradientCorrection sameDiffCorrection;

    private InterestModel(ModelConfig config, ComputationGraph graph) {
        this.config = config;
        this.graph = graph;
        this.hiddenVertex = switch (config.architecture()) {
            case ModelConfig.LSTM -> "lstm";
            case ModelConfig.GRU -> "gru";
            default -> "pool";
        };
        this.sameDiffCorrection = SameDiffGradientCorrection.of(graph);
        float[] pos = new float[config.historyLength()];
        for (int i = 0; i < pos.length; i++) {
            pos[i] = i;
        }
        this.positions = Nd4j.create(pos, new long[]{1, pos.length}, DataType.FLOAT);
    }

    /**
     * Time bucket of a gap in seconds, on a roughly logarithmic scale: 1 same time (gap &lt;= 0, e.g. the
     * same basket; a negative gap from out-of-order clocks counts as simultaneous), 2 &lt; 1 hour,
     * 3 &lt; 1 day, 4 &lt; 1 week, 5 &lt; 30 days, 6 &lt; 90 days, 7 longer. (0 is reserved for unknown.)
     */
    public static int timeBucket(long seconds) {
        if (seconds <= 0) {
            return 1;
        }
        if (seconds < HOUR) {
            return 2;
        }
        if (seconds < DAY) {
            return 3;
        }
        if (seconds < 7 * DAY) {
            return 4;
        }
        if (seconds < 30 * DAY) {
            return 5;
        }
        return seconds < 90 * DAY ? 6 : 7;
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
        boolean attention = config.architecture().equals(ModelConfig.ATTENTION);
        ComputationGraphConfiguration.GraphBuilder gb = new NeuralNetConfiguration.Builder()
                .seed(config.seed())
                .dataType(DataType.FLOAT)
                .updater(new Adam(config.learningRate()))
                .weightInit(WeightInit.XAVIER)
                .graphBuilder();
        List<String> inputs = new ArrayList<>(List.of("items"));
        List<String> summands = new ArrayList<>(List.of("itemEmb"));
        gb.addLayer("itemEmb", embedding(c, e, l), "items");
        if (attention) {
            inputs.add("positions");
            summands.add("posEmb");
            gb.addLayer("posEmb", embedding(l, e, l), "positions");
        }
        if (config.contextInputs()) {
            inputs.addAll(List.of("gaps", "ages", "behaviours"));
            summands.addAll(List.of("gapEmb", "ageEmb", "behEmb"));
            // Zero-initialised: the model starts as the item-only one and learns how much time and
            // behaviour matter. Xavier on these 5-8 row tables gives weights ~10x the item embedding's
            // (fan-in 8 against thousands) and drowned the items: small clients lost up to half their
            // NDCG@10 (docs/benchmarks.md).
            gb.addLayer("gapEmb", embedding(TIME_BUCKETS, e, l, WeightInit.ZERO), "gaps")
                    .addLayer("ageEmb", embedding(TIME_BUCKETS, e, l, WeightInit.ZERO), "ages")
                    .addLayer("behEmb", embedding(BEHAVIOUR_ROWS, e, l, WeightInit.ZERO), "behaviours");
        }
        gb.addInputs(inputs.toArray(String[]::new));
        String seq = summands.get(0);
        if (summands.size() > 1) {
            seq = "sum";
            gb.addVertex(seq, new ElementWiseVertex(ElementWiseVertex.Op.Add), summands.toArray(String[]::new));
        }
        String hidden;
        if (config.architecture().equals(ModelConfig.LSTM)) {
            hidden = "lstm";
            gb.addLayer(hidden, new LastTimeStep(new LSTM.Builder().nIn(e).nOut(h).activation(Activation.TANH)
                    .dataFormat(RNNFormat.NCW).build()), seq);
        } else if (config.architecture().equals(ModelConfig.GRU)) {
            hidden = "gru";
            gb.addLayer(hidden, new GruLayer(e, h, WeightInit.XAVIER), seq);
        } else {
            int heads = config.attentionHeads();
            hidden = "pool";
            gb.addLayer("attention", new SelfAttentionLayer.Builder().nIn(e).nOut(h).nHeads(heads)
                            .headSize(h / heads).projectInput(true).build(), seq)
                    .addLayer(hidden, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "attention");
        }
        ComputationGraphConfiguration conf = gb
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(h).nOut(c)
                        .activation(Activation.SOFTMAX).build(), hidden)
                .setOutputs("out")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return new InterestModel(config, g);
    }

    private static EmbeddingSequenceLayer embedding(int rows, int width, int length) {
        return embedding(rows, width, length, WeightInit.XAVIER);
    }

    private static EmbeddingSequenceLayer embedding(int rows, int width, int length, WeightInit init) {
        return new EmbeddingSequenceLayer.Builder().nIn(rows).nOut(width).inputLength(length).hasBias(false)
                .weightInit(init).outputDataFormat(RNNFormat.NCW).build();
    }

    private boolean usesPositions() {
        return config.architecture().equals(ModelConfig.ATTENTION);
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
     * Parameter names ({@code layer_param}, e.g. {@code lstm_W}, {@code lstm_RW}, {@code gapEmb_W} or
     * {@code attention_Wq}) with their shapes, in the order they occupy the flat vector.
     */
    public synchronized Map<String, long[]> parameterShapes() {
        checkOpen();
        Map<String, long[]> out = new LinkedHashMap<>();
        graph.paramTable().forEach((k, v) -> out.put(k, v.shape()));
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
        BaseMultiLayerUpdater<?> b = graph.getUpdater(true);
        if (b != null && b.getStateViewArray() != null) {
            b.getStateViewArray().assign(0);
        }
        graph.getConfiguration().setIterationCount(0);
        graph.getConfiguration().setEpochCount(0);
    }

    private INDArray flat() {
        return graph.params();
    }

    /**
     * One model input row, left-padded to historyLength: item ids, gap and age buckets
     * ({@link #timeBucket}, 0 unknown) and behaviour rows (1 + code, 0 padding); and, for training
     * examples, the distinct label item ids (empty when scoring).
     */
    record Example(int[] input, byte[] gaps, byte[] ages, byte[] behaviours, int[] label) {
    }

    /** Builds the training examples (see class comment). */
    List<Example> examples(List<CustomerHistory> train) {
        int c = config.catalogueSize();
        List<Example> out = new ArrayList<>();
        for (CustomerHistory ch : train) {
            List<Basket> baskets = ch.baskets();
            if (baskets.size() < 2) {
                continue;
            }
            TimedHistory all = ch.timed(baskets.size(), TimedHistory.UNKNOWN_TIME);
            byte[] gaps = gapBuckets(all);
            int end = baskets.get(0).size();   // items before basket i
            for (int i = 1; i < baskets.size(); i++) {
                Basket b = baskets.get(i);
                int[] label = labelOf(b, c);
                if (label.length > 0) {
                    out.add(row(all, gaps, end, b.epochSeconds(), label));
                }
                end += b.size();
            }
        }
        return out;
    }

    /** Per item: the time bucket of the gap to the previous item (0 for the first item or unknown times). */
    private static byte[] gapBuckets(TimedHistory h) {
        byte[] out = new byte[h.size()];
        for (int i = 1; i < out.length; i++) {
            long t = h.time(i), prev = h.time(i - 1);
            if (t != TimedHistory.UNKNOWN_TIME && prev != TimedHistory.UNKNOWN_TIME) {
                out[i] = (byte) timeBucket(t - prev);
            }
        }
        return out;
    }

    /**
     * The input row for the first {@code end} items of {@code h} predicted at {@code at}: the last
     * historyLength of them, left-padded. Gaps reach back past the window's start (the first item shown
     * still gets its true gap).
     */
    private Example row(TimedHistory h, byte[] gapBuckets, int end, long at, int[] label) {
        int l = config.historyLength(), c = config.catalogueSize();
        int n = Math.min(end, l), src = end - n, dst = l - n;
        int[] items = new int[l];
        byte[] gaps = new byte[l], ages = new byte[l], behaviours = new byte[l];
        for (int k = 0; k < n; k++) {
            int i = src + k;
            items[dst + k] = clampId(h.item(i), c);
            gaps[dst + k] = gapBuckets[i];
            long t = h.time(i);
            if (at != TimedHistory.UNKNOWN_TIME && t != TimedHistory.UNKNOWN_TIME) {
                ages[dst + k] = (byte) timeBucket(at - t);
            }
            behaviours[dst + k] = (byte) (1 + h.behaviour(i));
        }
        return new Example(items, gaps, ages, behaviours, label);
    }

    /** The input row of a whole history predicted at its {@link TimedHistory#at()}. */
    private Example row(TimedHistory h) {
        return row(h, gapBuckets(h), h.size(), h.at(), new int[0]);
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
        int bs = config.batchSize();
        int[] order = new int[ex.size()];
        double lossSum = 0;
        long lossCount = 0;
        int steps = 0;
        List<Example> batch = new ArrayList<>(bs);
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
                batch.clear();
                for (int r = 0; r < b; r++) {
                    batch.add(ex.get(order[from + r]));
                }
                Batch in = batch(batch, 0, b);
                org.nd4j.linalg.dataset.MultiDataSet ds = new org.nd4j.linalg.dataset.MultiDataSet(in.features(),
                        new INDArray[]{labels(batch)}, in.masks(), null);
                backprop(() -> graph.fit(ds));
                lossSum += graph.score() * b;
                lossCount += b;
                steps++;
            }
        }
        double meanLoss = lossCount == 0 ? 0 : lossSum / lossCount;
        return new TrainingStats(meanLoss, ex.size(), steps, (System.nanoTime() - t0) / 1e9);
    }

    /** Graph inputs (in the order of the class comment) and their masks for a batch. */
    private record Batch(INDArray[] features, INDArray[] masks) {
    }

    /**
     * The graph inputs for rows {@code from .. from + b - 1}. Padding (id 0) positions get mask 0; the last
     * position always gets mask 1 so an all-padding history still has one valid step.
     */
    private Batch batch(List<Example> rows, int from, int b) {
        int l = config.historyLength();
        float[] items = new float[b * l], mask = new float[b * l];
        float[] gaps = new float[b * l], ages = new float[b * l], behaviours = new float[b * l];
        for (int r = 0; r < b; r++) {
            Example e = rows.get(from + r);
            // The LSTM reads its rows right-padded (items first, padding after; LastTimeStep takes the last
            // unmasked step). Left-padded, DL4J 1.0.0-M2.1's masked LSTM returns a bias gradient that counts
            // the masked steps (+19% against finite differences), which DP-SGD would clip as if real.
            int shift = 0;
            if (config.architecture().equals(ModelConfig.LSTM)) {
                while (shift < l - 1 && e.input()[shift] == ItemCatalogue.PAD) {
                    shift++;
                }
            }
            for (int k = shift; k < l; k++) {
                int at = r * l + k - shift;
                items[at] = e.input()[k];
                mask[at] = e.input()[k] == ItemCatalogue.PAD ? 0f : 1f;
                gaps[at] = e.gaps()[k];
                ages[at] = e.ages()[k];
                behaviours[at] = e.behaviours()[k];
            }
            mask[r * l + l - 1 - shift] = 1f;
        }
        List<INDArray> f = new ArrayList<>(5);
        f.add(matrix(items, b, l));
        if (usesPositions()) {
            f.add(positions.repeat(0, b));
        }
        if (config.contextInputs()) {
            f.add(matrix(gaps, b, l));
            f.add(matrix(ages, b, l));
            f.add(matrix(behaviours, b, l));
        }
        INDArray m = matrix(mask, b, l);
        INDArray[] masks = new INDArray[f.size()];
        java.util.Arrays.fill(masks, m);
        return new Batch(f.toArray(INDArray[]::new), masks);
    }

    private static INDArray matrix(float[] data, int rows, int cols) {
        return Nd4j.create(data, new long[]{rows, cols}, DataType.FLOAT);
    }

    /** Label distributions [b, catalogueSize]: each of a row's n label items gets 1/n. */
    private INDArray labels(List<Example> rows) {
        int b = rows.size(), c = config.catalogueSize();
        float[] lab = new float[b * c];
        for (int r = 0; r < b; r++) {
            Example e = rows.get(r);
            float w = 1f / e.label().length;
            for (int id : e.label()) {
                lab[r * c + id] = w;
            }
        }
        return matrix(lab, b, c);
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
        int b = batch.size();
        if (b == 0) {
            throw new IllegalArgumentException("empty micro-batch");
        }
        Batch in = batch(batch, 0, b);
        graph.setInputs(in.features());
        graph.setLabels(labels(batch));
        graph.setLayerMaskArrays(in.masks(), null);
        backprop(graph::computeGradientAndScore);
        INDArray g = graph.gradient().gradient();
        double loss = graph.score();
        float[] out = g.toFloatVector();   // DL4J's gradient is the sum over the batch (fit divides by b)
        sameDiffCorrection.apply(out);
        if (b > 1) {
            float inv = 1f / b;
            for (int i = 0; i < out.length; i++) {
                out[i] *= inv;
            }
        }
        return new BatchGradient(out, loss);
    }

    /** Turns a {@link #dpBatchGradient} back into DL4J's own gradient, the one {@code fit} applies (tests). */
    synchronized float[] asFitGradient(float[] trueGradient) {
        float[] out = trueGradient.clone();
        sameDiffCorrection.undo(out);
        return out;
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
        ComputationGraphConfiguration gc = graph.getConfiguration();
        int it = gc.getIterationCount();
        graph.getUpdater(true).update(external, it, gc.getEpochCount(), 1, ws);
        graph.params().subi(g);
        gc.setIterationCount(it + 1);
    }

    private static List<TimedHistory> untimed(int[][] histories) {
        List<TimedHistory> out = new ArrayList<>(histories.length);
        for (int[] h : histories) {
            out.add(TimedHistory.untimed(h));
        }
        return out;
    }

    /**
     * Softmax scores over the whole catalogue for item-only histories (ids, most recent last; truncated
     * to the last {@code historyLength} items, left-padded): times unknown, everything bought. Prefer
     * {@link #score(List)} where times are known.
     */
    public synchronized float[][] score(int[][] histories) {
        return score(untimed(histories));
    }

    /**
     * Softmax scores over the whole catalogue for each history (items, their times and behaviours,
     * predicted at its {@link TimedHistory#at()}; truncated to the last {@code historyLength} items,
     * left-padded). Row {@code u} has length {@code catalogueSize}. Runs in batches of {@value #SCORE_BATCH}.
     */
    public synchronized float[][] score(List<TimedHistory> histories) {
        return forward(histories, "out");
    }

    /** Activations of {@code vertex} ([b, width]) per history, in batches of {@value #SCORE_BATCH}. */
    private float[][] forward(List<TimedHistory> histories, String vertex) {
        checkOpen();
        List<Example> rows = new ArrayList<>(histories.size());
        for (TimedHistory h : histories) {
            rows.add(row(h));
        }
        float[][] out = new float[rows.size()][];
        for (int from = 0; from < rows.size(); from += SCORE_BATCH) {
            int b = Math.min(SCORE_BATCH, rows.size() - from);
            Batch in = batch(rows, from, b);
            INDArray o;
            if (vertex.equals("out")) {
                o = graph.output(false, in.features(), in.masks())[0];
            } else {
                graph.setLayerMaskArrays(in.masks(), null);
                o = graph.feedForward(in.features(), false).get(vertex);
                graph.clearLayerMaskArrays();
            }
            float[][] r = o.toFloatMatrix();
            System.arraycopy(r, 0, out, from, b);
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
        INDArray w = graph.getLayer("out").getParam("W");
        INDArray b = graph.getLayer("out").getParam("b");
        float[][] wt = w.transpose().toFloatMatrix();   // [C, H]
        float[][] out = new float[wt.length + 1][];
        System.arraycopy(wt, 0, out, 0, wt.length);
        out[wt.length] = b.toFloatVector();
        return out;
    }

    /**
     * The vector that feeds the output layer for each item-only history (the LSTM's or GRU's last hidden state, or
     * the pooled attention output): length hidden. Histories as in {@link #score(int[][])}.
     */
    public synchronized float[][] customerRepresentation(int[][] histories) {
        return customerRepresentation(untimed(histories));
    }

    /** {@link #customerRepresentation(int[][])} for histories with times, as in {@link #score(List)}. */
    public synchronized float[][] customerRepresentation(List<TimedHistory> histories) {
        return forward(histories, hiddenVertex);
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
            graph.close();
        }
    }
}
