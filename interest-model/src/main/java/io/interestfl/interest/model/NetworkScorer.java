package io.interestfl.interest.model;

import io.interestfl.interest.data.TimedHistory;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;

/**
 * Inference passes over the network, in batches of {@value #SCORE_BATCH} histories: full-catalogue softmax
 * scores, the vector that feeds the output layer (the customer representation), and the output layer read as
 * item vectors. Not synchronized: the model calls it under its own lock.
 */
final class NetworkScorer {
    /** Histories per forward pass. */
    static final int SCORE_BATCH = 256;

    private final ComputationGraph graph;
    private final ExampleBuilder examples;
    private final InputBatcher batcher;
    private final String hiddenVertex;

    NetworkScorer(ModelConfig config, ComputationGraph graph, ExampleBuilder examples, InputBatcher batcher) {
        this.graph = graph;
        this.examples = examples;
        this.batcher = batcher;
        this.hiddenVertex = NetworkBuilder.hiddenVertex(config);
    }

    /** Softmax scores over the whole catalogue, one row per history. */
    float[][] scores(List<TimedHistory> histories) {
        return forward(histories, "out");
    }

    /**
     * The output layer's input (the LSTM's or GRU's last hidden state, the pooled attention output, or the last
     * causal block's output at the last position).
     */
    float[][] representations(List<TimedHistory> histories) {
        return forward(histories, hiddenVertex);
    }

    /** Activations of {@code vertex} ([b, width]) per history, in batches of {@value #SCORE_BATCH}. */
    private float[][] forward(List<TimedHistory> histories, String vertex) {
        List<Example> rows = new ArrayList<>(histories.size());
        for (TimedHistory h : histories) {
            rows.add(examples.row(h));
        }
        float[][] out = new float[rows.size()][];
        for (int from = 0; from < rows.size(); from += SCORE_BATCH) {
            int b = Math.min(SCORE_BATCH, rows.size() - from);
            InputBatcher.Batch in = batcher.batch(rows, from, b);
            INDArray o;
            if (vertex.equals("out")) {
                o = graph.output(false, in.features(), in.masks())[0];
            } else {
                graph.setLayerMaskArrays(in.masks(), null);
                o = graph.feedForward(in.features(), false).get(vertex);
                graph.clearLayerMaskArrays();
            }
            if (o.rank() == 3) {   // "sasrec": one output per position; the last is the whole history's
                o = o.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(o.size(2) - 1));
            }
            float[][] r = o.toFloatMatrix();
            System.arraycopy(r, 0, out, from, b);
        }
        return out;
    }

    /**
     * The output layer as item vectors: row {@code i} is item {@code i}'s weight column ({@code out_W[:, i]},
     * length hidden) and the last row is the bias ({@code out_b}, length catalogue).
     */
    float[][] itemEmbeddings() {
        INDArray w = graph.getLayer("out").getParam("W");
        INDArray b = graph.getLayer("out").getParam("b");
        float[][] wt = w.transpose().toFloatMatrix();   // [C, H]
        float[][] out = new float[wt.length + 1][];
        System.arraycopy(wt, 0, out, 0, wt.length);
        out[wt.length] = b.toFloatVector();
        return out;
    }
}
