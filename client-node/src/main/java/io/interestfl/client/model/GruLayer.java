package io.interestfl.client.model;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/**
 * A GRU over a whole sequence that outputs the hidden state after the last time step, as a DL4J
 * {@link SameDiffLayer} (DL4J 1.0.0-M2.1 has no GRU layer). Input {@code [batch, nIn, T]} (NCW),
 * output {@code [batch, nOut]}: the counterpart of {@code LastTimeStep(LSTM)} for left-padded
 * sequences whose most recent item is last.
 *
 * <p>Gates in libnd4j's order and formula (reset r, update u, cell c; the reset gate scales the
 * recurrent term of c, as in cuDNN/PyTorch without a recurrent bias):
 * {@code r, u = sigmoid(x W_ru + h RW_ru + b_ru)}, {@code c = tanh(x W_c + r * (h RW_c) + b_c)},
 * {@code h' = u * h + (1 - u) * c}, {@code h_0 = 0}. Built from plain SameDiff ops unrolled over the T
 * steps (T is fixed by the model's history length), with the input projections of all steps in one
 * matmul. ND4J's full-sequence {@code gru} op would be one call, but its gradient in 1.0.0-M2.1 is wrong
 * (measured in GruLayerTest's finite-difference check: twice the true gradient for the update and cell
 * gates, unrelated values for the reset gate), so it cannot be trained with.
 *
 * <p><b>Masks.</b> A masked step keeps the state ({@code h' = h + mask (1 - u)(c - h)}), so with left
 * padding {@code h} stays {@code h_0 = 0} until the first real item and the output is the state after
 * the last real step, like DL4J's LSTM (which zeroes its state at masked steps) under
 * {@code LastTimeStep}. Nothing at a padded step reaches the output or the gradient.
 *
 * <p>Parameters: {@code W [nIn, 3 nOut]} (input weights), {@code RW [nOut, 3 nOut]} (recurrent weights),
 * {@code b [3 nOut]}, each block in gate order r, u, c; weights with the layer's weight init, bias 0.
 */
public final class GruLayer extends SameDiffLayer {
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
        SDVariable[] gxGate = sd.unstack(gx, 2, 3);                                  // r, u, c: [T, b, H]
        SDVariable[] gxR = sd.unstack(gxGate[0], 0, t), gxU = sd.unstack(gxGate[1], 0, t),
                gxC = sd.unstack(gxGate[2], 0, t);                                   // T x [b, H]
        SDVariable[] rw = sd.unstack(sd.reshape(p.get("RW"), h, 3, h), 1, 3);        // r, u, c: [H, H]
        SDVariable[] keep = mask == null ? null
                : sd.unstack(sd.expandDims(mask.permute(1, 0), 2).castTo(gx.dataType()), 0, t);   // T x [b, 1]
        // h_0 = 0 as [b, H]. Every step, the first included, uses all its inputs: SameDiff takes an unused
        // variable for a loss when it builds the gradient function (DL4J's "<output>-grad" then goes missing).
        SDVariable state = gxU[0].mul(0.0);
        for (int s = 0; s < t; s++) {
            SDVariable r = sd.nn().sigmoid(gxR[s].add(state.mmul(rw[0])));
            SDVariable u = sd.nn().sigmoid(gxU[s].add(state.mmul(rw[1])));
            SDVariable c = sd.math().tanh(gxC[s].add(r.mul(state.mmul(rw[2]))));
            // h' = u h + (1 - u) c = h + (1 - u)(c - h); a padded step (keep 0) leaves h as it is
            SDVariable step = u.rsub(1.0);
            if (keep != null) {
                step = step.mul(keep[s]);
            }
            state = state.add(step.mul(c.sub(state)));
        }
        // DL4J 1.0.0-M2.1's SameDiffLayer backprop doubles the incoming error (every SameDiffLayer: its
        // parameter gradients and the error it passes down come out 2x, GruLayerTest): halve it here
        // without touching the forward value (0.5 s + 0.5 s == s exactly).
        SDVariable frozen = new StopGradient(sd, state).outputVariable();
        return state.mul(0.5).add(frozen.mul(0.5));
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
