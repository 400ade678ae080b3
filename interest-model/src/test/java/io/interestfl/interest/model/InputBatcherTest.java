package io.interestfl.interest.model;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** {@link InputBatcher}: feature order, padding side per architecture, masks and label distributions. */
class InputBatcherTest {
    static final int C = 10, L = 4;

    static ModelConfig config(String arch, boolean context) {
        return new ModelConfig(arch, C, L, 4, 4, 0.01, 8, 1, context);
    }

    static Example row(int[] items, int[] label) {
        byte[] gaps = new byte[L], ages = new byte[L], behaviours = new byte[L];
        for (int k = 0; k < L; k++) {
            if (items[k] != 0) {
                gaps[k] = (byte) (10 + k);
                ages[k] = (byte) (20 + k);
                behaviours[k] = (byte) (30 + k);
            }
        }
        return new Example(items, gaps, ages, behaviours, label);
    }

    static final List<Example> ROWS = List.of(
            row(new int[]{0, 0, 2, 3}, new int[]{4, 5}),
            row(new int[]{0, 0, 0, 0}, new int[]{6}));

    static float[] rowOf(INDArray a, int r) {
        return a.getRow(r).toFloatVector();
    }

    @Test
    void attentionRowsStayLeftPaddedWithPositionsAndContextInputsInOrder() {
        InputBatcher.Batch in = new InputBatcher(config(ModelConfig.ATTENTION, true)).batch(ROWS, 0, 2);
        assertEquals(5, in.features().length, "items, positions, gaps, ages, behaviours");
        assertArrayEquals(new float[]{0, 0, 2, 3}, rowOf(in.features()[0], 0));
        assertArrayEquals(new float[]{0, 1, 2, 3}, rowOf(in.features()[1], 1), "positions 0..L-1 in every row");
        assertArrayEquals(new float[]{0, 0, 12, 13}, rowOf(in.features()[2], 0));
        assertArrayEquals(new float[]{0, 0, 22, 23}, rowOf(in.features()[3], 0));
        assertArrayEquals(new float[]{0, 0, 32, 33}, rowOf(in.features()[4], 0));
        assertEquals(5, in.masks().length);
        for (INDArray m : in.masks()) {
            assertSame(in.masks()[0], m, "one mask for every input");
        }
        assertArrayEquals(new float[]{0, 0, 1, 1}, rowOf(in.masks()[0], 0));
        assertArrayEquals(new float[]{0, 0, 0, 1}, rowOf(in.masks()[0], 1), "an empty history keeps its last step");
    }

    @Test
    void lstmRowsAreRightPadded() {
        InputBatcher.Batch in = new InputBatcher(config(ModelConfig.LSTM, true)).batch(ROWS, 0, 2);
        assertEquals(4, in.features().length, "items, gaps, ages, behaviours: no positions");
        assertArrayEquals(new float[]{2, 3, 0, 0}, rowOf(in.features()[0], 0));
        assertArrayEquals(new float[]{12, 13, 0, 0}, rowOf(in.features()[1], 0));
        assertArrayEquals(new float[]{1, 1, 0, 0}, rowOf(in.masks()[0], 0));
        assertArrayEquals(new float[]{1, 0, 0, 0}, rowOf(in.masks()[0], 1), "an empty history keeps its first step");
    }

    @Test
    void itemOnlyBatchStartsAtTheGivenRow() {
        InputBatcher.Batch in = new InputBatcher(config(ModelConfig.GRU, false)).batch(ROWS, 1, 1);
        assertEquals(1, in.features().length);
        assertArrayEquals(new long[]{1, L}, in.features()[0].shape());
        assertArrayEquals(new float[]{0, 0, 0, 0}, rowOf(in.features()[0], 0));
    }

    @Test
    void labelsSpreadOneOverTheBasketsItems() {
        INDArray labels = new InputBatcher(config(ModelConfig.GRU, false)).labels(ROWS);
        assertArrayEquals(new long[]{2, C}, labels.shape());
        assertArrayEquals(new float[]{0, 0, 0, 0, 0.5f, 0.5f, 0, 0, 0, 0}, rowOf(labels, 0));
        assertArrayEquals(new float[]{0, 0, 0, 0, 0, 0, 1, 0, 0, 0}, rowOf(labels, 1));
    }
}
