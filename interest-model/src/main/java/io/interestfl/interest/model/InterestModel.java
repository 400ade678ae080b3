package io.interestfl.interest.model;

import io.interestfl.interest.data.Behaviour;
import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.TimedHistory;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 *   <li>{@code "sasrec"} (in the spirit of SASRec, Kang and McAuley 2018): item embedding plus position
 *       embedding -> {@value ModelConfig#SASREC_BLOCKS} pre-norm {@link CausalAttentionBlock}s (width
 *       embeddingSize, feed-forward width hiddenSize, no dropout, the last one with a closing layer norm) -> {@code RnnOutputLayer} (softmax over the catalogue at every position).
 *       Trained on windows with a label at every position (see "Training examples"); scored at the last
 *       position. No context inputs.</li>
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
 * are skipped. For "sasrec" the same targets are trained by windows: each label sits at the last item of the
 * basket before it, and a customer's items are cut into windows of historyLength that overlap by half, each
 * window training the labels of its last {@code historyLength - historyLength/2} positions (the customer's first
 * window all of its), so every target counts once and sees at least half a window of history; the loss is the
 * mean over targets, as for the other architectures. Each epoch the examples are shuffled with {@code new Random(config.seed() + epochCounter)}
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
 * L history length); for "sasrec": {@code itemEmb_W [C,E], posEmb_W [L,E]}, per block {@code ln1g, ln1b [E],
 * Wq, Wk, Wv, Wo [E,E], ln2g, ln2b [E], W1 [E,H], b1 [H], W2 [H,E], b2 [E]} (the last block also
 * {@code ln3g, ln3b [E]}; 'c' order, as SameDiff layers store them), {@code out_W [E,C], out_b [C]}. Context inputs add {@code gapEmb_W [8,E], ageEmb_W [8,E], behEmb_W [5,E]}
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
    /** Rows of the gap and age embeddings: 0 unknown, then {@link #timeBucket} 1..7. */
    public static final int TIME_BUCKETS = ExampleBuilder.TIME_BUCKETS;
    /** Rows of the behaviour embedding: 0 padding, then 1 + {@link Behaviour#code()}. */
    public static final int BEHAVIOUR_ROWS = ExampleBuilder.BEHAVIOUR_ROWS;

    private final ModelConfig config;
    private final ComputationGraph graph;   // built by NetworkBuilder
    private final ExampleBuilder examples;  // histories -> input rows
    private final NetworkTrainer trainer;   // fit loop, DP-SGD gradients, optimizer state
    private final NetworkScorer scorer;     // scores, customer and item vectors
    private boolean closed;

    private InterestModel(ModelConfig config, ComputationGraph graph) {
        this.config = config;
        this.graph = graph;
        this.examples = new ExampleBuilder(config);
        InputBatcher batcher = new InputBatcher(config);
        this.trainer = new NetworkTrainer(config, graph, examples, batcher);
        this.scorer = new NetworkScorer(config, graph, examples, batcher);
    }

    /**
     * Time bucket of a gap in seconds, on a roughly logarithmic scale: 1 same time (gap &lt;= 0, e.g. the
     * same basket; a negative gap from out-of-order clocks counts as simultaneous), 2 &lt; 1 hour,
     * 3 &lt; 1 day, 4 &lt; 1 week, 5 &lt; 30 days, 6 &lt; 90 days, 7 longer. (0 is reserved for unknown.)
     */
    public static int timeBucket(long seconds) {
        return ExampleBuilder.timeBucket(seconds);
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
        return new InterestModel(config, NetworkBuilder.build(config));
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
     * Where the output layer's bias ({@code out_b}, one logit offset per catalogue item) starts in the flat
     * parameter vector; it runs for {@code catalogueSize} entries. A federation starts its model at popularity by
     * writing log frequencies there (the privacy module's {@code PopularityPrior}).
     */
    public synchronized int outputBiasOffset() {
        checkOpen();
        long offset = 0;
        for (Map.Entry<String, INDArray> e : graph.paramTable().entrySet()) {
            if (e.getKey().equals("out_b")) {
                return Math.toIntExact(offset);
            }
            offset += e.getValue().length();
        }
        throw new IllegalStateException("model has no out_b parameter: " + graph.paramTable().keySet());
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
        trainer.restartEpochs();
    }

    /**
     * A copy of Adam's state (moments and iteration count), for a client that carries it from one round to the
     * next ({@link #restoreOptimizerState}); {@link #setParameters} resets it.
     */
    public synchronized float[] optimizerState() {
        checkOpen();
        return trainer.optimizerState();
    }

    /** Puts back a state from {@link #optimizerState()} of a model of the same configuration. */
    public synchronized void restoreOptimizerState(float[] state) {
        checkOpen();
        trainer.restoreOptimizerState(state);
    }

    /** Zeroes Adam's moment estimates and the iteration/epoch counts used for bias correction. */
    public synchronized void resetOptimizerState() {
        checkOpen();
        trainer.resetOptimizerState();
    }

    private INDArray flat() {
        return graph.params();
    }

    /** The number of training examples {@code train} gives this model (see "Training examples" above). */
    public int exampleCount(List<CustomerHistory> train) {
        return NetworkTrainer.targets(examples.examples(train));
    }

    /** Builds the training examples (see class comment). */
    List<Example> examples(List<CustomerHistory> train) {
        return examples.examples(train);
    }

    /**
     * Trains for {@code epochs} epochs over the examples of {@code train} (see class comment).
     * With no examples (or 0 epochs) returns zero steps without touching the model.
     */
    public synchronized TrainingStats train(List<CustomerHistory> train, int epochs) {
        checkOpen();
        return trainer.train(train, epochs);
    }

    /**
     * Trains as {@link #train(List, int)} does, adding {@code correction} to every step's mean gradient (SCAFFOLD's
     * drift correction: the federation's mean gradient less this client's, at the last global model).
     */
    public synchronized TrainingStats train(List<CustomerHistory> train, int epochs, float[] correction) {
        checkOpen();
        return trainer.train(train, epochs, correction);
    }

    /**
     * The gradient of the mean training loss over all examples of {@code train} at the current parameters (null
     * when it has none); changes nothing.
     */
    public synchronized float[] meanGradient(List<CustomerHistory> train) {
        checkOpen();
        return trainer.meanGradient(train);
    }

    // ---- user-level DP support (UserLevelDpTrainer): gradient of a micro-batch, apply a given gradient ----

    /**
     * Gradient of the <b>mean</b> loss over {@code batch} (non-empty) w.r.t. all parameters, as a fresh flat
     * array in {@link #parameters()} order. Changes neither the parameters nor the optimizer state.
     */
    synchronized BatchGradient dpBatchGradient(List<Example> batch) {
        checkOpen();
        return trainer.gradient(batch);
    }

    /** Turns a {@link #dpBatchGradient} back into DL4J's own gradient, the one {@code fit} applies (tests). */
    synchronized float[] asFitGradient(float[] trueGradient) {
        return trainer.asFitGradient(trueGradient);
    }

    /**
     * One optimizer step with an externally computed gradient (of a mean loss, flat in {@link #parameters()}
     * order): Adam turns it into an update exactly as {@code fit} would, the update is subtracted from the
     * parameters and the iteration count advances. The array is not modified.
     */
    synchronized void dpApplyGradient(float[] gradient) {
        checkOpen();
        trainer.applyGradient(gradient);
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
     * left-padded). Row {@code u} has length {@code catalogueSize}. Runs in batches of
     * {@value NetworkScorer#SCORE_BATCH}.
     */
    public synchronized float[][] score(List<TimedHistory> histories) {
        checkOpen();
        return scorer.scores(histories);
    }

    // ---- serving support (issue 6, client.serving / client.policy): item vectors and customer vectors ----

    /**
     * The output layer as item vectors: row {@code i} is item {@code i}'s weight column of the softmax layer
     * ({@code out_W[:, i]}, length hidden) and the last row is the bias ({@code out_b}, length catalogue).
     * So {@code score(h)[u][i] = softmax_i(customerRepresentation(h)[u] . itemEmbeddings()[i] + bias[i])}.
     */
    public synchronized float[][] itemEmbeddings() {
        checkOpen();
        return scorer.itemEmbeddings();
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
        checkOpen();
        return scorer.representations(histories);
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
