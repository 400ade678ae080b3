package io.interestfl.interest.model;

/**
 * One model input row, left-padded to historyLength: item ids, gap and age buckets
 * ({@link ExampleBuilder#timeBucket}, 0 unknown) and behaviour rows (1 + code, 0 padding); and, for training
 * examples, the distinct label item ids (empty when scoring). Built by {@link ExampleBuilder}, turned into
 * graph inputs by {@link InputBatcher}.
 *
 * <p>A training window of the "sasrec" architecture has a label per position instead: {@code positionLabels[k]}
 * holds the distinct ids the network must predict after position {@code k} (null where position {@code k} is not
 * trained), and {@code label} is empty.
 */
record Example(int[] input, byte[] gaps, byte[] ages, byte[] behaviours, int[] label, int[][] positionLabels) {
    Example(int[] input, byte[] gaps, byte[] ages, byte[] behaviours, int[] label) {
        this(input, gaps, ages, behaviours, label, null);
    }

    /** The prediction targets this row trains: its labelled positions, or 1 for a single-label row. */
    int targets() {
        if (positionLabels == null) {
            return label.length > 0 ? 1 : 0;
        }
        int n = 0;
        for (int[] l : positionLabels) {
            if (l != null) {
                n++;
            }
        }
        return n;
    }
}
