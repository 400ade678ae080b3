package io.interestfl.spark;

import java.io.Serializable;

/**
 * A failure to inject, for tests of Spark's retry: the first attempt of the task of {@code partition} in round
 * {@code round} throws after training its clients (so a retry that double-counted them would show in the sum).
 */
public record TaskFault(int round, int partition) implements Serializable {}
