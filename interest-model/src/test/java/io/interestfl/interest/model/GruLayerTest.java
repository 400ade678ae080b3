package io.interestfl.interest.model;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link GruLayer}: the forward pass against a plain Java GRU, left-padding masks, and a gradient check. */
class GruLayerTest {
    static final int B = 3, N_IN = 4, H = 5, T = 6, C = 7;

    /**
     * input [B, N_IN, T] -> gru -> softmax over C, or with {@code embedded} item ids [B, T] -> embedding
     * (10 rows) -> gru -> softmax; no updater (for the gradient check).
     */
    static ComputationGraph graph(DataType dt, boolean embedded) {
        ComputationGraphConfiguration.GraphBuilder gb = new NeuralNetConfiguration.Builder()
                .seed(7).dataType(dt).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .graphBuilder().addInputs("in");
        String gruIn = "in";
        if (embedded) {
            gruIn = "emb";
            gb.addLayer("emb", new EmbeddingSequenceLayer.Builder().nIn(10).nOut(N_IN).inputLength(T).hasBias(false)
                    .outputDataFormat(RNNFormat.NCW).build(), "in");
        }
        ComputationGraph g = new ComputationGraph(gb.addLayer("gru", new GruLayer(N_IN, H, WeightInit.XAVIER), gruIn)
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(H).nOut(C)
                        .activation(Activation.SOFTMAX).build(), "gru")
                .setOutputs("out").build());
        g.init();
        // non-zero biases so that the checks cover them
        g.getLayer("gru").getParam("b").assign(Nd4j.rand(dt, 3 * H).subi(0.5));
        return g;
    }

    /** Left padding: row r has its first r steps padded. */
    static INDArray mask(DataType dt) {
        INDArray m = Nd4j.ones(dt, B, T);
        for (int r = 0; r < B; r++) {
            for (int t = 0; t < r; t++) {
                m.putScalar(r, t, 0);
            }
        }
        return m;
    }

    static INDArray input(DataType dt, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(dt, B, N_IN, T).subi(0.5).muli(2);
    }

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** The GRU of GruLayer's comment, step by step, skipping masked steps (the state is held, from h_0 = 0). */
    static double[][] reference(INDArray x, INDArray mask, INDArray w, INDArray rw, INDArray b) {
        double[][] out = new double[B][H];
        for (int r = 0; r < B; r++) {
            double[] h = new double[H];
            for (int t = 0; t < T; t++) {
                if (mask.getDouble(r, t) == 0) {
                    continue;
                }
                double[] zx = new double[3 * H], zh = new double[3 * H];
                for (int j = 0; j < 3 * H; j++) {
                    zx[j] = b.getDouble(j);
                    for (int i = 0; i < N_IN; i++) {
                        zx[j] += x.getDouble(r, i, t) * w.getDouble(i, j);
                    }
                    for (int i = 0; i < H; i++) {
                        zh[j] += h[i] * rw.getDouble(i, j);
                    }
                }
                double[] next = new double[H];
                for (int k = 0; k < H; k++) {
                    double rg = sigmoid(zx[k] + zh[k]);
                    double zg = sigmoid(zx[H + k] + zh[H + k]);
                    double c = Math.tanh(zx[2 * H + k] + rg * zh[2 * H + k]);
                    next[k] = (1 - zg) * h[k] + zg * c;
                }
                h = next;
            }
            out[r] = h;
        }
        return out;
    }

    static INDArray hidden(ComputationGraph g, INDArray x, INDArray m) {
        g.setLayerMaskArrays(new INDArray[]{m}, null);
        INDArray h = g.feedForward(new INDArray[]{x}, false).get("gru");
        g.clearLayerMaskArrays();
        return h;
    }

    @Test
    void forwardMatchesAPlainGruAndIgnoresPaddedSteps() {
        ComputationGraph g = graph(DataType.DOUBLE, false);
        INDArray x = input(DataType.DOUBLE, 1), m = mask(DataType.DOUBLE);
        INDArray h = hidden(g, x, m);
        assertArrayEquals(new long[]{B, H}, h.shape());
        double[][] ref = reference(x, m, g.getLayer("gru").getParam("W"), g.getLayer("gru").getParam("RW"),
                g.getLayer("gru").getParam("b"));
        for (int r = 0; r < B; r++) {
            assertArrayEquals(ref[r], h.getRow(r).toDoubleVector(), 1e-9, "row " + r);
        }
        // anything at the padded steps leaves the output unchanged, in float as well
        ComputationGraph f = graph(DataType.FLOAT, false);
        INDArray xf = input(DataType.FLOAT, 1), mf = mask(DataType.FLOAT);
        INDArray noise = xf.dup();
        for (int r = 0; r < B; r++) {
            for (int t = 0; t < r; t++) {
                for (int i = 0; i < N_IN; i++) {
                    noise.putScalar(new long[]{r, i, t}, 100 * (i + 1));
                }
            }
        }
        assertEquals(hidden(f, xf, mf), hidden(f, noise, mf));
        // and a new batch size and mask reuse the same layer
        INDArray h2 = hidden(f, xf.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3)),
                mf.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3)));
        assertArrayEquals(new long[]{2, H}, h2.shape());
        assertEquals(hidden(f, xf, mf).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3)), h2);
    }

    /**
     * With an embedding below the GRU, so that the check also covers the error the GRU passes down.
     * DL4J 1.0.0-M2.1 doubles the gradient of any SameDiffLayer; GruLayer compensates.
     */
    @Test
    void gradientsMatchFiniteDifferences() {
        // GradientCheckUtil insists on the global default type too
        org.nd4j.linalg.api.buffer.util.DataTypeUtil.setDTypeForContext(DataType.DOUBLE);
        ComputationGraph g = graph(DataType.DOUBLE, true);
        INDArray x = Nd4j.zeros(DataType.DOUBLE, B, T), m = mask(DataType.DOUBLE);
        Random ids = new Random(5);
        for (int r = 0; r < B; r++) {
            for (int t = r; t < T; t++) {
                x.putScalar(r, t, 1 + ids.nextInt(9));   // 0 is padding
            }
        }
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, B, C);
        Random rnd = new Random(3);
        for (int r = 0; r < B; r++) {
            labels.putScalar(r, rnd.nextInt(C), 1);
        }
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                .inputs(new INDArray[]{x}).labels(new INDArray[]{labels}).inputMask(new INDArray[]{m})
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9));
        assertTrue(ok, "GRU gradient check");
        // a batch of one (strided_slice_bp failed on it in an earlier version): same gradient as the check's
        // first row alone would give, just without throwing
        g.setInputs(x.getRow(0, true));
        g.setLabels(labels.getRow(0, true));
        g.setLayerMaskArrays(new INDArray[]{m.getRow(0, true)}, null);
        g.computeGradientAndScore();
        assertTrue(g.gradient().gradient().norm2Number().doubleValue() > 0);
    }
}
