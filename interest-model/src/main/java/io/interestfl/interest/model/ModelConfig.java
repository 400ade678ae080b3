package io.interestfl.interest.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Hyper-parameters of an {@link InterestModel}. All nodes of a federation must use equal configs
 * (the parameter vector layout depends on every field except learningRate, batchSize and seed).
 *
 * @param architecture  {@code "lstm"}, {@code "gru"}, {@code "attention"} or {@code "sasrec"}
 * @param catalogueSize number of item ids including padding (0) and OOV (1): {@code ItemCatalogue.size()}
 * @param historyLength number of most recent history items fed to the model
 * @param embeddingSize item embedding width
 * @param hiddenSize    LSTM or GRU units, or attention output width (divisible by the head count:
 *                      2 heads when even, else 1); for "sasrec" the width of each block's feed-forward layer
 *                      (its blocks are embeddingSize wide)
 * @param learningRate  Adam learning rate
 * @param batchSize     examples (targets) per training step; a "sasrec" step takes
 *                      {@code batchSize / (historyLength - historyLength / 2)} windows (at least one)
 * @param seed          weight-initialisation and shuffling seed
 * @param contextInputs whether the model also reads each history item's behaviour, the bucketed time
 *                      gap to the previous item and the bucketed age at prediction time (three small
 *                      embedding tables added to the item embedding; see {@link InterestModel});
 *                      changes the parameter layout. Off in the eight-argument constructor and
 *                      {@link #defaults}: on Online Retail it helps centralized training (+1.8% NDCG@10)
 *                      but not federated (-1.5%), docs/benchmarks.md.
 */
public record ModelConfig(String architecture, int catalogueSize, int historyLength, int embeddingSize,
                          int hiddenSize, double learningRate, int batchSize, long seed, boolean contextInputs)
        implements java.io.Serializable {
    public static final String LSTM = "lstm";
    public static final String GRU = "gru";
    public static final String ATTENTION = "attention";
    /** SASRec-style: causal self-attention blocks trained with a next-item loss at every position. */
    public static final String SASREC = "sasrec";
    /** Every architecture, in the order benchmarks list them. */
    public static final List<String> ARCHITECTURES = List.of(LSTM, GRU, ATTENTION, SASREC);
    /** Causal blocks of the "sasrec" architecture (SASRec's default). */
    public static final int SASREC_BLOCKS = 2;

    public ModelConfig {
        List<String> problems = new ArrayList<>();
        if (architecture == null || !ARCHITECTURES.contains(architecture)) {
            problems.add("architecture must be \"lstm\", \"gru\", \"attention\" or \"sasrec\", got "
                    + (architecture == null ? "null" : "\"" + architecture + "\""));
        }
        if (catalogueSize < 3) {
            problems.add("catalogueSize must be >= 3 (padding, OOV and at least one product), got " + catalogueSize);
        }
        if (historyLength < 1) {
            problems.add("historyLength must be >= 1, got " + historyLength);
        }
        if (embeddingSize < 1) {
            problems.add("embeddingSize must be >= 1, got " + embeddingSize);
        }
        if (hiddenSize < 1) {
            problems.add("hiddenSize must be >= 1, got " + hiddenSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            problems.add("learningRate must be a finite number > 0, got " + learningRate);
        }
        if (batchSize < 1) {
            problems.add("batchSize must be >= 1, got " + batchSize);
        }
        if (SASREC.equals(architecture) && contextInputs) {
            problems.add("the sasrec architecture has no context inputs (its age input would need one prediction "
                    + "time per position): turn them off");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid ModelConfig: " + String.join("; ", problems));
        }
    }

    /** An item-only config (context inputs off, the default). */
    public ModelConfig(String architecture, int catalogueSize, int historyLength, int embeddingSize,
                       int hiddenSize, double learningRate, int batchSize, long seed) {
        this(architecture, catalogueSize, historyLength, embeddingSize, hiddenSize, learningRate, batchSize, seed, false);
    }

    /** Defaults for a catalogue: history 20, embedding 32, hidden 64, Adam 0.002, batch 64, seed 42. */
    public static ModelConfig defaults(String architecture, int catalogueSize) {
        return new ModelConfig(architecture, catalogueSize, 20, 32, 64, 0.002, 64, 42L, false);
    }

    public ModelConfig withArchitecture(String a) {
        return new ModelConfig(a, catalogueSize, historyLength, embeddingSize, hiddenSize, learningRate, batchSize, seed,
                contextInputs);
    }

    public ModelConfig withLearningRate(double lr) {
        return new ModelConfig(architecture, catalogueSize, historyLength, embeddingSize, hiddenSize, lr, batchSize, seed,
                contextInputs);
    }

    public ModelConfig withSeed(long s) {
        return new ModelConfig(architecture, catalogueSize, historyLength, embeddingSize, hiddenSize, learningRate, batchSize, s,
                contextInputs);
    }

    public ModelConfig withBatchSize(int b) {
        return new ModelConfig(architecture, catalogueSize, historyLength, embeddingSize, hiddenSize, learningRate, b, seed,
                contextInputs);
    }

    public ModelConfig withContextInputs(boolean on) {
        return new ModelConfig(architecture, catalogueSize, historyLength, embeddingSize, hiddenSize, learningRate, batchSize,
                seed, on);
    }

    /** Attention heads used by the "attention" architecture. */
    public int attentionHeads() {
        return hiddenSize % 2 == 0 ? 2 : 1;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ModelConfig[%s, catalogue=%d, L=%d, emb=%d, hidden=%d, lr=%g, batch=%d, seed=%d, context=%s]",
                architecture, catalogueSize, historyLength, embeddingSize, hiddenSize, learningRate, batchSize, seed,
                contextInputs ? "on" : "off");
    }
}
