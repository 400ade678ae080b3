package io.interestfl.interest.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Undoes a DL4J 1.0.0-M2.1 defect: a SameDiff-based layer ({@code SelfAttentionLayer} here) returns twice
 * the gradient for its own parameters and passes twice the error back to the layers that feed it, so
 * every parameter at or upstream of such a layer gets 2x its true gradient (measured against central
 * finite differences, with and without masks, 1 to 3 heads; {@code InterestModelGradientTest}).
 *
 * <p>Adam is invariant to a constant per-parameter scale, so ordinary training is unaffected; DP-SGD is
 * not: it clips the whole per-customer gradient to one L2 norm, so the doubled blocks would take a larger
 * share of the clip budget than they should. The customer-level trainer therefore multiplies each
 * parameter's gradient by {@code 2^-k}, k = the SameDiff layers from that parameter's layer (itself
 * included) to the output.
 */
final class SameDiffGradientCorrection {
  private final float[] scale;
  private final boolean identity;

  private SameDiffGradientCorrection(float[] scale, boolean identity) {
    this.scale = scale;
    this.identity = identity;
  }

  static SameDiffGradientCorrection of(ComputationGraph graph) {
    ComputationGraphConfiguration conf = graph.getConfiguration();
    Map<String, GraphVertex> vertices = conf.getVertices();
    Map<String, List<String>> inputs = conf.getVertexInputs();
    List<Float> perBlock = new ArrayList<>();
    List<Long> lengths = new ArrayList<>();
    boolean identity = true;
    for (Map.Entry<String, INDArray> entry : graph.paramTable().entrySet()) {
      String layer = entry.getKey().substring(0, entry.getKey().lastIndexOf('_'));
      int doublings = sameDiffLayersDownstream(layer, vertices, inputs);
      identity &= doublings == 0;
      perBlock.add((float) Math.pow(0.5, doublings));
      lengths.add(entry.getValue().length());
    }
    long total = lengths.stream().mapToLong(Long::longValue).sum();
    float[] scale = new float[Math.toIntExact(total)];
    int offset = 0;
    for (int block = 0; block < perBlock.size(); block++) {
      int end = offset + Math.toIntExact(lengths.get(block));
      java.util.Arrays.fill(scale, offset, end, perBlock.get(block));
      offset = end;
    }
    return new SameDiffGradientCorrection(scale, identity);
  }

  /** SameDiff layers on the way from {@code vertex} (included) to the outputs; the graphs here are chains. */
  private static int sameDiffLayersDownstream(String vertex, Map<String, GraphVertex> vertices,
      Map<String, List<String>> inputs) {
    int count = 0;
    String current = vertex;
    while (current != null) {
      GraphVertex v = vertices.get(current);
      // a TrueGradientLayer (GruLayer, CausalAttentionBlock) undoes the doubling inside its own graph
      if (v instanceof LayerVertex layer && layer.getLayerConf().getLayer() instanceof AbstractSameDiffLayer
          && !(layer.getLayerConf().getLayer() instanceof TrueGradientLayer)) {
        count++;
      }
      String next = null;
      for (Map.Entry<String, List<String>> edge : inputs.entrySet()) {
        if (edge.getValue().contains(current)) {
          next = edge.getKey();
          break;
        }
      }
      current = next;
    }
    return count;
  }

  /** The inverse of {@link #apply}: DL4J's own (doubled) gradient, which {@code fit} feeds to Adam. */
  void undo(float[] gradient) {
    if (identity) {
      return;
    }
    for (int i = 0; i < gradient.length; i++) {
      gradient[i] /= scale[i];
    }
  }

  /** Scales {@code gradient} (flat, in {@code params()} order) in place to the true gradient. */
  void apply(float[] gradient) {
    if (identity) {
      return;
    }
    if (gradient.length != scale.length) {
      throw new IllegalArgumentException("gradient has length " + gradient.length + ", expected " + scale.length);
    }
    for (int i = 0; i < gradient.length; i++) {
      gradient[i] *= scale[i];
    }
  }
}
