package io.interestfl.simulations.evaluation;

import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.data.TrainTestSplit;
import java.util.List;

/**
 * One simulated client node: its customers' histories and their chronological split (each customer's
 * last basket held out).
 *
 * @param name      client name (a country, {@code other}, or {@code hash-i})
 * @param customers customers of the client (with or without a test case)
 * @param split     the leave-last-basket-out split of those customers
 */
public record ClientData(String name, int customers, TrainTestSplit split) {
  public static ClientData of(String name, List<CustomerHistory> histories) {
    return new ClientData(name, histories.size(), TrainTestSplit.lastBasket(histories));
  }
}
