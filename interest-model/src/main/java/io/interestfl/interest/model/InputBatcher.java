package io.interestfl.interest.model;

import io.interestfl.interest.data.ItemCatalogue;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns input rows ({@link Example}) into the graph's inputs: the feature arrays in the order of
 * {@link InterestModel}'s class comment ({@code items}, {@code positions} for attention, then with context
 * inputs {@code gaps}, {@code ages}, {@code behaviours}), their shared padding mask, and the label
 * distributions of training rows.
 */
final class InputBatcher {
    /** Graph inputs (in the order of the class comment) and their masks for a batch. */
    record Batch(INDArray[] features, INDArray[] masks) {
    }

    private final int historyLength;
    private final int catalogueSize;
    /** The LSTM reads its rows right-padded; the other architectures left-padded, as the rows come. */
    private final boolean rightPadded;
    private final boolean contextInputs;
    /** "sasrec": labels and their mask per position ([b, C, L] and [b, L]). */
    private final boolean sequenceOutput;
    /** Attention: [1, L] 0..L-1 (broadcast per batch by copy); null for the other architectures. */
    private final INDArray positions;

    InputBatcher(ModelConfig config) {
        this.historyLength = config.historyLength();
        this.catalogueSize = config.catalogueSize();
        this.rightPadded = config.architecture().equals(ModelConfig.LSTM);
        this.contextInputs = config.contextInputs();
        this.sequenceOutput = NetworkBuilder.sequenceOutput(config);
        this.positions = config.architecture().equals(ModelConfig.ATTENTION) || sequenceOutput
                ? positions(historyLength) : null;
    }

    private static INDArray positions(int length) {
        float[] pos = new float[length];
        for (int i = 0; i < pos.length; i++) {
            pos[i] = i;
        }
        return Nd4j.create(pos, new long[]{1, pos.length}, DataType.FLOAT);
    }

    /**
     * The graph inputs for rows {@code from .. from + b - 1}. Padding (id 0) positions get mask 0; the last
     * position always gets mask 1 so an all-padding history still has one valid step.
     */
    Batch batch(List<Example> rows, int from, int b) {
        int l = historyLength;
        float[] items = new float[b * l], mask = new float[b * l];
        float[] gaps = new float[b * l], ages = new float[b * l], behaviours = new float[b * l];
        for (int r = 0; r < b; r++) {
            Example e = rows.get(from + r);
            // The LSTM reads its rows right-padded (items first, padding after; LastTimeStep takes the last
            // unmasked step). Left-padded, DL4J 1.0.0-M2.1's masked LSTM returns a bias gradient that counts
            // the masked steps (+19% against finite differences), which DP-SGD would clip as if real.
            int shift = 0;
            if (rightPadded) {
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
        if (positions != null) {
            f.add(positions.repeat(0, b));
        }
        if (contextInputs) {
            f.add(matrix(gaps, b, l));
            f.add(matrix(ages, b, l));
            f.add(matrix(behaviours, b, l));
        }
        INDArray m = matrix(mask, b, l);
        INDArray[] masks = new INDArray[f.size()];
        java.util.Arrays.fill(masks, m);
        return new Batch(f.toArray(INDArray[]::new), masks);
    }

    /**
     * Label distributions [b, catalogueSize]: each of a row's n label items gets 1/n; for "sasrec" windows
     * [b, catalogueSize, L], one distribution per labelled position (zeros elsewhere, see {@link #labelMask}).
     */
    INDArray labels(List<Example> rows) {
        int b = rows.size(), c = catalogueSize;
        if (sequenceOutput) {
            int l = historyLength;
            float[] lab = new float[b * c * l];
            for (int r = 0; r < b; r++) {
                int[][] pl = rows.get(r).positionLabels();
                for (int k = 0; k < l; k++) {
                    if (pl[k] != null) {
                        float w = 1f / pl[k].length;
                        for (int id : pl[k]) {
                            lab[(r * c + id) * l + k] = w;
                        }
                    }
                }
            }
            return Nd4j.create(lab, new long[]{b, c, l}, DataType.FLOAT);
        }
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

    /** "sasrec": [b, L], 1 at the labelled positions of each window; null for the one-label architectures. */
    INDArray labelMask(List<Example> rows) {
        if (!sequenceOutput) {
            return null;
        }
        int b = rows.size(), l = historyLength;
        float[] m = new float[b * l];
        for (int r = 0; r < b; r++) {
            int[][] pl = rows.get(r).positionLabels();
            for (int k = 0; k < l; k++) {
                m[r * l + k] = pl[k] != null ? 1f : 0f;
            }
        }
        return matrix(m, b, l);
    }

    private static INDArray matrix(float[] data, int rows, int cols) {
        return Nd4j.create(data, new long[]{rows, cols}, DataType.FLOAT);
    }
}
