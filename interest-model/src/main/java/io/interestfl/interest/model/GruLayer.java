package io.interestfl.interest.model;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * A GRU over a whole sequence that outputs the hidden state after the last time step, as a DL4J
 * {@link SameDiffLayer} (DL4J 1.0.0-M2.1 has no GRU layer). Input {@code [batch, nIn, T]} (NCW),
 * output {@code [batch, nOut]}: the counterpart of {@code LastTimeStep(LSTM)} for left-padded
 * sequences whose most recent item is last.
 *
 * <p>Gates (reset r, update z, cell c; the reset gate scales the recurrent term of c, as in libnd4j's
 * and cuDNN's GRU, without a recurrent bias; the update gate weights the new cell, as in Chung et al. 2014):
 * {@code r = sigmoid(x W_r + h RW_r + b_r)}, {@code z = sigmoid(x W_z + h RW_z + b_z)},
 * {@code c = tanh(x W_c + r * (h RW_c) + b_c)}, {@code h' = (1 - z) h + z c}, {@code h_0 = 0}.
 * Built from plain SameDiff ops unrolled over the T steps (T is fixed by the model's history length):
 * the input projections of all steps in one matmul, one recurrent matmul per step, about 13 small ops
 * per step. ND4J's fused ops are no use in 1.0.0-M2.1: the full-sequence {@code gru} op's gradient is
 * wrong (GruLayerTest's finite-difference check gave unrelated values for the reset gate) and
 * {@code gruCell} has no gradient.
 *
 * <p><b>Masks.</b> A masked step keeps the state ({@code h' = h + mask z (c - h)}), so with left
 * padding {@code h} stays {@code h_0 = 0} until the first real item and the output is the state after
 * the last real step, like DL4J's LSTM (which zeroes its state at masked steps) under
 * {@code LastTimeStep}. Nothing at a padded step reaches the output or the gradient.
 *
 * <p>Parameters: {@code W [nIn, 3 nOut]} (input weights), {@code RW [nOut, 3 nOut]} (recurrent weights),
 * {@code b [3 nOut]}, each block in gate order r, z, c; weights with the layer's weight init, bias 0.
 */
public final class GruLayer extends SameDiffLayer implements TrueGradientLayer {
    private long nIn;
    private long nOut;

    /** For JSON deserialization. */
    public GruLayer() {
    }

    public GruLayer(long nIn, long nOut, WeightInit weightInit) {
        this.nIn = nIn;
        this.nOut = nOut;
        this.weightInit = weightInit;
    }

    public long getNIn() {
        return nIn;
    }

    public long getNOut() {
        return nOut;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.clear();
        params.addWeightParam("W", nIn, 3 * nOut);
        params.addWeightParam("RW", nOut, 3 * nOut);
        params.addBiasParam("b", 3 * nOut);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        WeightInit init = weightInit == null ? WeightInit.XAVIER : weightInit;
        initWeights((int) nIn, (int) (3 * nOut), init, params.get("W"));
        initWeights((int) nOut, (int) (3 * nOut), init, params.get("RW"));
        params.get("b").assign(0);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> p, SDVariable mask) {
        long[] shape = input.getShape();
        if (shape == null || shape.length != 3 || shape[2] < 1) {
            throw new IllegalStateException("GruLayer needs a [batch, nIn, T] input with a known T, got "
                    + java.util.Arrays.toString(shape));
        }
        int t = (int) shape[2];
        int h = Math.toIntExact(nOut);
        // All input projections in one matmul: [T*b, nIn] x [nIn, 3H] + b -> [T, b, 3, H]. Gates are split
        // with unstack, not strided slices: strided_slice_bp fails on a batch of one in 1.0.0-M2.1.
        SDVariable xT = input.permute(2, 0, 1);                                      // [T, b, nIn]
        SDVariable gx = sd.reshape(sd.reshape(xT, -1, nIn).mmul(p.get("W")).add(p.get("b")), t, -1, 3, h);
        SDVariable[] gxGate = sd.unstack(gx, 2, 3);                                  // r, z, c: [T, b, H]
        SDVariable[] gxR = sd.unstack(gxGate[0], 0, t), gxZ = sd.unstack(gxGate[1], 0, t),
                gxC = sd.unstack(gxGate[2], 0, t);                                   // T x [b, H]
        SDVariable rw = p.get("RW");
        SDVariable[] keep = mask == null ? null
                : sd.unstack(sd.expandDims(mask.permute(1, 0), 2).castTo(gx.dataType()), 0, t);   // T x [b, 1]
        // h_0 = 0 as [b, H]. Every step, the first included, uses all its inputs: SameDiff takes an unused
        // variable for a loss when it builds the gradient function (DL4J's "<output>-grad" then goes missing).
        SDVariable state = gxZ[0].mul(0.0);
        for (int s = 0; s < t; s++) {
            // one recurrent matmul per step, split like the input projections
            SDVariable[] gh = sd.unstack(sd.reshape(state.mmul(rw), -1, 3, h), 1, 3);
            SDVariable r = sd.nn().sigmoid(gxR[s].add(gh[0]));
            SDVariable z = sd.nn().sigmoid(gxZ[s].add(gh[1]));
            SDVariable c = sd.math().tanh(gxC[s].add(r.mul(gh[2])));
            if (keep != null) {
                z = z.mul(keep[s]);                                                  // a padded step keeps h
            }
            state = state.add(z.mul(c.sub(state)));                                  // (1 - z) h + z c
        }
        // DL4J 1.0.0-M2.1's SameDiffLayer backprop doubles the incoming error (every SameDiffLayer: its
        // parameter gradients and the error it passes down come out 2x, GruLayerTest): halve it here
        // without touching the forward value (0.5 s + 0.5 s == s exactly).
        return TrueGradientLayer.halveBackprop(sd, state);
    }

    /** What SameDiff 1.0.0-M2.1 prints to System.out for every op when it builds a gradient function. */
    private static final String GRADIENT_BUILD_LINE = "Added differentiated op ";

    /**
     * Runs {@code pass} (a first backward pass) without SameDiff's "Added differentiated op ..." lines on
     * System.out; everything else printed meanwhile passes through. System.out is process-wide: should two
     * threads overlap here, the filter may stay installed, which only ever drops those lines.
     */
    static void quietly(Runnable pass) {
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(out, true) {
            @Override
            public void println(String line) {
                if (line == null || !line.startsWith(GRADIENT_BUILD_LINE)) {
                    super.println(line);
                }
            }
        });
        try {
            pass.run();
        } finally {
            System.setOut(out);
        }
    }

    /** The output has no time axis: like {@code LastTimeStep}, no mask goes on to the next layer. */
    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState, int minibatchSize) {
        return new Pair<>(null, null);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(nOut);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (nIn <= 0 || override) {
            nIn = ((InputType.InputTypeRecurrent) inputType).getSize();
        }
    }
}
