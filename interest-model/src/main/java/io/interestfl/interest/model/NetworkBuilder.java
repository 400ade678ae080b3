package io.interestfl.interest.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the initialised DL4J {@link ComputationGraph} of each architecture, as {@link InterestModel}'s class
 * comment describes it: input embeddings (plus the position embedding for attention and the zero-initialised
 * context embeddings), their sum, the sequence encoder and the softmax output. The order in which vertices are
 * added fixes the flat parameter order, and the config's seed the initial weights.
 */
final class NetworkBuilder {
    private NetworkBuilder() {
    }

    /**
     * The vertex that feeds the output layer: {@code "lstm"}, {@code "gru"}, {@code "pool"} (attention) or the last
     * causal block (sasrec, {@code [batch, E, L]}: one representation per position).
     */
    static String hiddenVertex(ModelConfig config) {
        return switch (config.architecture()) {
            case ModelConfig.LSTM -> "lstm";
            case ModelConfig.GRU -> "gru";
            case ModelConfig.SASREC -> "block" + (ModelConfig.SASREC_BLOCKS - 1);
            default -> "pool";
        };
    }

    /** The network of {@code config} (weights from {@code config.seed()}, Xavier init), initialised. */
    static ComputationGraph build(ModelConfig config) {
        int c = config.catalogueSize(), l = config.historyLength(), e = config.embeddingSize(),
                h = config.hiddenSize();
        boolean sasrec = sequenceOutput(config);
        boolean attention = config.architecture().equals(ModelConfig.ATTENTION) || sasrec;
        ComputationGraphConfiguration.GraphBuilder gb = new NeuralNetConfiguration.Builder()
                .seed(config.seed())
                .dataType(DataType.FLOAT)
                .updater(new Adam(config.learningRate()))
                .weightInit(WeightInit.XAVIER)
                .graphBuilder();
        List<String> inputs = new ArrayList<>(List.of("items"));
        List<String> summands = new ArrayList<>(List.of("itemEmb"));
        gb.addLayer("itemEmb", embedding(c, e, l), "items");
        if (attention) {
            inputs.add("positions");
            summands.add("posEmb");
            gb.addLayer("posEmb", embedding(l, e, l), "positions");
        }
        if (config.contextInputs()) {
            inputs.addAll(List.of("gaps", "ages", "behaviours"));
            summands.addAll(List.of("gapEmb", "ageEmb", "behEmb"));
            // Zero-initialised: the model starts as the item-only one and learns how much time and
            // behaviour matter. Xavier on these 5-8 row tables gives weights ~10x the item embedding's
            // (fan-in 8 against thousands) and drowned the items: small clients lost up to half their
            // NDCG@10 (docs/benchmarks.md).
            gb.addLayer("gapEmb", embedding(ExampleBuilder.TIME_BUCKETS, e, l, WeightInit.ZERO), "gaps")
                    .addLayer("ageEmb", embedding(ExampleBuilder.TIME_BUCKETS, e, l, WeightInit.ZERO), "ages")
                    .addLayer("behEmb", embedding(ExampleBuilder.BEHAVIOUR_ROWS, e, l, WeightInit.ZERO), "behaviours");
        }
        gb.addInputs(inputs.toArray(String[]::new));
        String seq = summands.get(0);
        if (summands.size() > 1) {
            seq = "sum";
            gb.addVertex(seq, new ElementWiseVertex(ElementWiseVertex.Op.Add), summands.toArray(String[]::new));
        }
        String hidden = hiddenVertex(config);
        if (config.architecture().equals(ModelConfig.LSTM)) {
            gb.addLayer(hidden, new LastTimeStep(new LSTM.Builder().nIn(e).nOut(h).activation(Activation.TANH)
                    .dataFormat(RNNFormat.NCW).build()), seq);
        } else if (config.architecture().equals(ModelConfig.GRU)) {
            gb.addLayer(hidden, new GruLayer(e, h, WeightInit.XAVIER), seq);
        } else if (sasrec) {
            String in = seq;
            for (int block = 0; block < ModelConfig.SASREC_BLOCKS; block++) {
                boolean last = block == ModelConfig.SASREC_BLOCKS - 1;
                // No dropout: DL4J 1.0.0-M2.1's SameDiff layers ignore a layer's dropout setting, and a DropoutLayer
                // cannot take the masked [b, E, L] sequence (it applies the mask as a column vector)
                gb.addLayer("block" + block, new CausalAttentionBlock(e, h, last, WeightInit.XAVIER), in);
                in = "block" + block;
            }
        } else {
            int heads = config.attentionHeads();
            gb.addLayer("attention", new SelfAttentionLayer.Builder().nIn(e).nOut(h).nHeads(heads)
                            .headSize(h / heads).projectInput(true).build(), seq)
                    .addLayer(hidden, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "attention");
        }
        ComputationGraphConfiguration conf = gb
                .addLayer("out", sasrec ? sequenceSoftmaxOutput(e, c) : softmaxOutput(h, c), hidden)
                .setOutputs("out")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    /** Whether the network has an output per position (sasrec: a next-item softmax at every step). */
    static boolean sequenceOutput(ModelConfig config) {
        return config.architecture().equals(ModelConfig.SASREC);
    }

    /** The per-position output layer: softmax over the {@code catalogue} items at every step, MCXENT loss, NCW. */
    static RnnOutputLayer sequenceSoftmaxOutput(int width, int catalogue) {
        return new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(width).nOut(catalogue)
                .activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW).build();
    }

    /** The output layer: softmax over the {@code catalogue} items of a {@code hidden}-wide input, MCXENT loss. */
    static OutputLayer softmaxOutput(int hidden, int catalogue) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden).nOut(catalogue)
                .activation(Activation.SOFTMAX).build();
    }

    private static EmbeddingSequenceLayer embedding(int rows, int width, int length) {
        return embedding(rows, width, length, WeightInit.XAVIER);
    }

    private static EmbeddingSequenceLayer embedding(int rows, int width, int length, WeightInit init) {
        return new EmbeddingSequenceLayer.Builder().nIn(rows).nOut(width).inputLength(length).hasBias(false)
                .weightInit(init).outputDataFormat(RNNFormat.NCW).build();
    }
}
