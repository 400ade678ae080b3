package io.interestfl.interest.model;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/**
 * One pre-norm causal self-attention block of a SASRec-style encoder (Kang and McAuley, ICDM 2018), as a DL4J
 * {@link SameDiffLayer}: input and output {@code [batch, d, T]} (NCW), every position attending only to itself
 * and the positions before it.
 *
 * <pre>
 *   a = x + Attention(LN1(x))          one head: softmax(Q K^T / sqrt(d) + causal + padding) V, then Wo
 *   y = a + W2 gelu(W1 LN2(a) + b1) + b2   (GELU, as BERT4Rec: smooth, so finite differences check it)
 *   y = LN3(y)                         only in the last block ({@code finalNorm})
 * </pre>
 * Layer norms have a gain (init 1) and bias (init 0) and epsilon 1e-6. The mask ({@code [batch, T]}, 1 for a real
 * item) keeps padded keys out of every softmax (an additive -1e9, so a padded query that sees only padding gets
 * a finite uniform mix that nothing downstream reads: its label is masked and no real query attends to it). The
 * causal part is a constant {@code [T, T]} of 0 on and below the diagonal, -1e9 above: a position never sees a
 * later item, so one pass trains a label at every position. No dropout (see NetworkBuilder): DL4J 1.0.0-M2.1
 * ignores a SameDiff layer's dropout setting and its DropoutLayer cannot take a masked sequence; epochs are chosen on
 * validation instead.
 *
 * <p>Parameters (in order): {@code ln1g, ln1b [d], Wq, Wk, Wv, Wo [d, d], ln2g, ln2b [d], W1 [d, f], b1 [f],
 * W2 [f, d], b2 [d]} and with {@code finalNorm} {@code ln3g, ln3b [d]}; matrices with the layer's weight init,
 * biases 0. Like {@link GruLayer} it undoes DL4J 1.0.0-M2.1's doubled SameDiff-layer backprop inside its own
 * graph, so its gradients are the true ones ({@link SameDiffGradientCorrection} leaves it alone).
 */
public final class CausalAttentionBlock extends SameDiffLayer implements TrueGradientLayer {
    private static final double EPS = 1e-6;
    private static final double NEG = -1e9;

    private long width;
    private long innerWidth;
    private boolean finalNorm;

    /** For JSON deserialization. */
    public CausalAttentionBlock() {
    }

    /**
     * @param width      d: the input, attention and output width
     * @param innerWidth f: the feed-forward layer's width
     * @param finalNorm  whether the block ends with a layer norm (the last block of a pre-norm stack)
     */
    public CausalAttentionBlock(long width, long innerWidth, boolean finalNorm, WeightInit weightInit) {
        this.width = width;
        this.innerWidth = innerWidth;
        this.finalNorm = finalNorm;
        this.weightInit = weightInit;
    }

    public long getWidth() {
        return width;
    }

    public long getInnerWidth() {
        return innerWidth;
    }

    public boolean isFinalNorm() {
        return finalNorm;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.clear();
        params.addBiasParam("ln1g", width);
        params.addBiasParam("ln1b", width);
        for (String w : new String[]{"Wq", "Wk", "Wv", "Wo"}) {
            params.addWeightParam(w, width, width);
        }
        params.addBiasParam("ln2g", width);
        params.addBiasParam("ln2b", width);
        params.addWeightParam("W1", width, innerWidth);
        params.addBiasParam("b1", innerWidth);
        params.addWeightParam("W2", innerWidth, width);
        params.addBiasParam("b2", width);
        if (finalNorm) {
            params.addBiasParam("ln3g", width);
            params.addBiasParam("ln3b", width);
        }
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        WeightInit init = weightInit == null ? WeightInit.XAVIER : weightInit;
        int d = Math.toIntExact(width), f = Math.toIntExact(innerWidth);
        for (String w : new String[]{"Wq", "Wk", "Wv", "Wo"}) {
            initWeights(d, d, init, params.get(w));
        }
        initWeights(d, f, init, params.get("W1"));
        initWeights(f, d, init, params.get("W2"));
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            if (e.getKey().startsWith("ln") || e.getKey().startsWith("b")) {
                e.getValue().assign(e.getKey().endsWith("g") ? 1 : 0);
            }
        }
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> p, SDVariable mask) {
        long[] shape = input.getShape();
        if (shape == null || shape.length != 3 || shape[2] < 1) {
            throw new IllegalStateException("CausalAttentionBlock needs a [batch, d, T] input with a known T, got "
                    + java.util.Arrays.toString(shape));
        }
        int t = (int) shape[2];
        long d = width;
        SDVariable x = sd.reshape(input.permute(0, 2, 1), -1, d);                   // [b*T, d]
        SDVariable h = norm(x, p.get("ln1g"), p.get("ln1b"));
        SDVariable q = sd.reshape(h.mmul(p.get("Wq")), -1, t, d);                   // [b, T, d]
        SDVariable k = sd.reshape(h.mmul(p.get("Wk")), -1, t, d);
        SDVariable v = sd.reshape(h.mmul(p.get("Wv")), -1, t, d);
        SDVariable scores = sd.mmul(q, k, false, true, false).mul(1.0 / Math.sqrt(d));   // [b, T(query), T(key)]
        scores = scores.add(sd.constant(causal(t)));
        if (mask != null) {
            SDVariable keyMask = sd.expandDims(mask.castTo(scores.dataType()), 1);   // [b, 1, T]
            scores = scores.add(keyMask.sub(1.0).mul(-NEG));
        }
        SDVariable attention = sd.nn().softmax(scores, 2);
        SDVariable mixed = sd.reshape(sd.mmul(attention, v), -1, d);                 // [b*T, d]
        SDVariable a = x.add(mixed.mmul(p.get("Wo")));
        SDVariable inner = sd.nn().gelu(norm(a, p.get("ln2g"), p.get("ln2b")).mmul(p.get("W1")).add(p.get("b1")));
        SDVariable y = a.add(inner.mmul(p.get("W2")).add(p.get("b2")));
        if (finalNorm) {
            y = norm(y, p.get("ln3g"), p.get("ln3b"));
        }
        SDVariable out = sd.reshape(y, -1, t, d).permute(0, 2, 1);                 // [b, d, T]
        return TrueGradientLayer.halveBackprop(sd, out);
    }

    /** Layer norm over the last axis of {@code x} [n, d] with gain and bias [d]. */
    private static SDVariable norm(SDVariable x, SDVariable gain, SDVariable bias) {
        SDVariable centred = x.sub(x.mean(true, 1));
        SDVariable var = centred.mul(centred).mean(true, 1);
        return centred.div(var.add(EPS).pow(0.5)).mul(gain).add(bias);
    }

    /** 0 on and below the diagonal, -1e9 above: [T, T]. */
    private static INDArray causal(int t) {
        float[] c = new float[t * t];
        for (int i = 0; i < t; i++) {
            for (int j = i + 1; j < t; j++) {
                c[i * t + j] = (float) NEG;
            }
        }
        return Nd4j.create(c, new long[]{t, t}, DataType.FLOAT);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        long len = inputType instanceof InputType.InputTypeRecurrent r ? r.getTimeSeriesLength() : -1;
        return InputType.recurrent(width, len);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        // the width is fixed by the constructor
    }
}
