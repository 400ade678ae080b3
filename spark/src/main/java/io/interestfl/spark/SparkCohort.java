package io.interestfl.spark;

import io.interestfl.interest.data.CustomerHistory;
import io.interestfl.interest.model.InterestModel;
import io.interestfl.interest.model.ModelConfig;
import io.interestfl.simulations.federation.CohortExecutor;
import io.interestfl.simulations.federation.RoundPartial;
import io.interestfl.simulations.federation.VirtualClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * The cohort trained by Spark tasks. The virtual clients are an RDD of {@link ClientShard}s, cached once; each round
 * broadcasts the global model and the cohort, and every partition's task trains its cohort members with
 * {@link VirtualClient#train} (the in-process simulator's code) into a copy of the round's empty
 * {@link RoundPartial}; {@code treeReduce} (Spark's treeAggregate without a zero value) merges the partitions' partials and the round's own instance, on the
 * driver, merges the result: the driver holds O(model), whatever the cohort. Spark discards the output of a failed
 * task attempt and reruns it from the cached clients, so a retried client is counted once.
 */
public final class SparkCohort implements CohortExecutor {
  private final JavaSparkContext sc;
  private final JavaRDD<ClientShard> shards;
  private final int clients;
  private final ModelConfig config;
  private final int localEpochs;
  private final int threads;
  private final TaskFault fault;
  private final LongAccumulator taskNanos;
  private final LongAccumulator tasks;
  private double lastTaskSeconds;
  private long lastTasks;

  /**
   * @param clients    every virtual client's training histories, by index
   * @param partitions Spark partitions of the clients (tasks per round)
   * @param threads    ND4J threads per executor JVM
   * @param fault      a failure to inject (tests), or null
   */
  public SparkCohort(JavaSparkContext sc, ModelConfig config, List<List<CustomerHistory>> clients, int localEpochs,
      int partitions, int threads, TaskFault fault) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
    }
    this.sc = sc;
    this.config = config;
    this.localEpochs = localEpochs;
    this.threads = threads;
    this.fault = fault;
    this.clients = clients.size();
    List<ClientShard> list = new ArrayList<>(clients.size());
    for (int i = 0; i < clients.size(); i++) {
      list.add(new ClientShard(i, List.copyOf(clients.get(i))));
    }
    this.taskNanos = sc.sc().longAccumulator("interestfl task nanos");
    this.tasks = sc.sc().longAccumulator("interestfl tasks");
    // Cached, and cut from the driver's collection: otherwise every round's tasks would carry their clients again
    // (Spark ships a parallelised collection's partitions inside the tasks). With a checkpoint directory the clients
    // are written there (reliable: an executor lost is recomputed from it); without, they stay in the executors'
    // block stores (a failed task is retried from them; a lost executor fails the run).
    JavaRDD<ClientShard> rdd = sc.parallelize(list, partitions).persist(StorageLevel.MEMORY_AND_DISK());
    if (sc.getCheckpointDir().isPresent()) {
      rdd.checkpoint();
    } else {
      rdd.rdd().localCheckpoint();
    }
    rdd.count();   // materialise (and checkpoint) before the first round is timed
    this.shards = rdd;
  }

  @Override
  public int clients() {
    return clients;
  }

  @Override
  public RoundPartial train(int round, float[] global, List<Integer> cohort, RoundPartial open) {
    BitSet members = new BitSet(clients);
    for (int i : cohort) {
      members.set(i);
    }
    Broadcast<float[]> model = sc.broadcast(global);
    Broadcast<BitSet> inCohort = sc.broadcast(members);
    // every task folds into its own copy of the empty round (broadcast: it is O(model), too big for a closure)
    Broadcast<RoundPartial> empty = sc.broadcast(copy(open));
    ModelConfig cfg = config;
    int epochs = localEpochs;
    int nThreads = threads;
    TaskFault f = fault;
    LongAccumulator nanos = taskNanos;
    LongAccumulator count = tasks;
    long nanosBefore = taskNanos.value();
    long tasksBefore = tasks.value();
    try {
      RoundPartial merged = shards.mapPartitions((Iterator<ClientShard> it) -> {
        long t0 = System.nanoTime();
        RoundPartial part = copy(empty.value());
        InterestModel m = ExecutorModels.borrow(cfg, nThreads);
        try {
          float[] g = model.value();
          BitSet who = inCohort.value();
          while (it.hasNext()) {
            ClientShard s = it.next();
            if (who.get(s.index())) {
              part.accept(VirtualClient.train(m, g, s.histories(), epochs));
            }
          }
        } finally {
          ExecutorModels.giveBack(cfg, m);
        }
        TaskContext task = TaskContext.get();
        if (f != null && f.round() == round && task.partitionId() == f.partition() && task.attemptNumber() == 0) {
          throw new IllegalStateException("injected failure: round " + round + ", partition " + f.partition()
              + ", first attempt");
        }
        nanos.add(System.nanoTime() - t0);   // a failed attempt's time is not added (Spark drops its updates)
        count.add(1);
        return List.of(part).iterator();
      }).treeReduce(RoundPartial::merge, 2);   // treeAggregate without a zero: partials merge pairwise on executors
      open.merge(merged);
      lastTaskSeconds = (taskNanos.value() - nanosBefore) / 1e9;
      lastTasks = tasks.value() - tasksBefore;
      return open;
    } finally {
      model.destroy();
      inCohort.destroy();
      empty.destroy();
    }
  }

  /** The summed wall time of the last round's successful tasks (the work a cluster would share), in seconds. */
  public double lastRoundTaskSeconds() {
    return lastTaskSeconds;
  }

  /** The last round's successful tasks. */
  public long lastRoundTasks() {
    return lastTasks;
  }

  @Override
  public String describe() {
    return "spark " + sc.master() + ", " + shards.getNumPartitions() + " partitions";
  }

  /** A deep copy by Java serialization (what Spark does to a task's closure). */
  static RoundPartial copy(RoundPartial p) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(p);
      }
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        return (RoundPartial) in.readObject();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    shards.unpersist(false);
  }
}
