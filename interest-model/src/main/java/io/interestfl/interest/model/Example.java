package io.interestfl.interest.model;

/**
 * One model input row, left-padded to historyLength: item ids, gap and age buckets
 * ({@link ExampleBuilder#timeBucket}, 0 unknown) and behaviour rows (1 + code, 0 padding); and, for training
 * examples, the distinct label item ids (empty when scoring). Built by {@link ExampleBuilder}, turned into
 * graph inputs by {@link InputBatcher}.
 */
record Example(int[] input, byte[] gaps, byte[] ages, byte[] behaviours, int[] label) {
}
