package io.interestfl.interest.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;

/**
 * A SameDiff layer of ours that undoes DL4J 1.0.0-M2.1's doubled SameDiff-layer backprop inside its own graph (every
 * {@code SameDiffLayer}'s parameter gradients and the error it passes down come out 2x, GruLayerTest), so its
 * gradients are the true ones and {@link SameDiffGradientCorrection} leaves it and the layers below it alone.
 */
interface TrueGradientLayer {
    /**
     * {@code out} with half its backprop: {@code 0.5 out + 0.5 stopGradient(out)}, whose forward value is exactly
     * {@code out} ({@code 0.5 s + 0.5 s == s}); the layer's output goes through this.
     */
    static SDVariable halveBackprop(SameDiff sd, SDVariable out) {
        SDVariable frozen = new StopGradient(sd, out).outputVariable();
        return out.mul(0.5).add(frozen.mul(0.5));
    }
}
