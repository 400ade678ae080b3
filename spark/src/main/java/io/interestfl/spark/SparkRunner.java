package io.interestfl.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** The Spark context of a simulation. */
public final class SparkRunner {
  private SparkRunner() {}

  /**
   * A context for {@code master} ({@code local[N]}, {@code local[N,F]} with F attempts per task, or a cluster URL;
   * under {@code spark-submit} the submitted master wins). No web UI: a simulation is watched through its own lines.
   */
  public static JavaSparkContext context(String master, String appName) {
    SparkConf conf = new SparkConf().setAppName(appName).setIfMissing("spark.master", master)
        .setIfMissing("spark.ui.enabled", "false")
        .setIfMissing("spark.ui.showConsoleProgress", "false");
    if (master.startsWith("local")) {
      conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    return new JavaSparkContext(conf);
  }
}
