package io.interestfl.spark;

import io.interestfl.interest.model.InterestModel;
import io.interestfl.interest.model.ModelConfig;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Models kept by an executor JVM across tasks and rounds (building a DL4J network costs more than training a small
 * client): a task borrows one of its configuration, overwrites its parameters with the broadcast global model and
 * gives it back. At most one model per concurrently running task.
 */
final class ExecutorModels {
  private static final Map<ModelConfig, Queue<InterestModel>> IDLE = new ConcurrentHashMap<>();
  private static volatile boolean threadsSet;

  private ExecutorModels() {}

  static InterestModel borrow(ModelConfig config, int threads) {
    if (!threadsSet) {
      synchronized (ExecutorModels.class) {
        if (!threadsSet) {
          InterestModel.configureThreads(threads);
          threadsSet = true;
        }
      }
    }
    InterestModel m = IDLE.computeIfAbsent(config, c -> new ConcurrentLinkedQueue<>()).poll();
    return m != null ? m : InterestModel.create(config);
  }

  static void giveBack(ModelConfig config, InterestModel model) {
    IDLE.get(config).add(model);
  }
}
