package io.interestfl.cli;

import io.interestfl.secagg.bench.SecAggBenchmark;
import io.interestfl.serving.JsonOutput;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code interestfl bench secagg}: one full SecAgg+ round in-process, against raw AES-256-CTR. */
@Command(name = "secagg", mixinStandardHelpOptions = true,
    description = "Run one full SecAgg+ round in-process and compare server unmasking with raw AES-256-CTR keystream time.")
public final class SecAggBenchCommand implements Callable<Integer> {
  @Option(names = "--clients", defaultValue = "100", description = "cohort size n (default ${DEFAULT-VALUE})") int clients;
  @Option(names = "--length", defaultValue = "100000", description = "vector length m (default ${DEFAULT-VALUE})") int length;
  @Option(names = "--dropout", defaultValue = "0.1", description = "fraction that vanishes after ShareKeys (default ${DEFAULT-VALUE})")
  double dropout;
  @Option(names = "--json", description = JsonOutput.HELP) boolean json;

  @Override
  public Integer call() {
    try (JsonOutput output = JsonOutput.open(json)) {
      return measure(output);
    }
  }

  private Integer measure(JsonOutput output) {
    ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    try {
      SecAggBenchmark.run(Math.min(clients, 20), Math.min(length, 1 << 14), dropout, pool); // warm-up
      SecAggBenchmark.Result r = SecAggBenchmark.run(clients, (int) length, dropout, pool);
      if (json) {
        output.document().println(new JsonObject()
            .put("clients", r.clients()).put("length", r.length()).put("dropout", r.dropout())
            .put("degree", r.degree()).put("threshold", r.threshold()).put("bitWidth", r.bitWidth())
            .put("survivors", r.survivors())
            .put("clientMaskMillis", r.clientMaskMillis()).put("clientOtherMillis", r.clientOtherMillis())
            .put("serverUnmaskMillis", r.serverUnmaskMillis()).put("rawKeystreamMillis", r.rawKeystreamMillis())
            .put("unmaskVsKeystream", r.ratio()).put("bytesUpPerClient", r.bytesUpPerClient())
            .put("plainBytes", r.plainBytes()).put("correct", r.correct()).put("wallSeconds", r.wallSeconds())
            .encodePrettily());
      } else {
        System.out.printf(Locale.ROOT, "SecAgg+ n=%d m=%d dropout=%.2f: k=%d t=%d b=%d, %d survivors, sum %s%n",
            r.clients(), r.length(), r.dropout(), r.degree(), r.threshold(), r.bitWidth(), r.survivors(),
            r.correct() ? "correct" : "WRONG");
        System.out.printf(Locale.ROOT, "  client masking %.1f ms (other phases %.1f ms); server unmasking %.1f ms%n",
            r.clientMaskMillis(), r.clientOtherMillis(), r.serverUnmaskMillis());
        System.out.printf(Locale.ROOT, "  raw AES-256-CTR for the same keystream: %.1f ms -> unmasking is %.2fx the physical limit%n",
            r.rawKeystreamMillis(), r.ratio());
        System.out.printf(Locale.ROOT, "  bytes up per client %,d (plain float32 update %,d: %.2fx)%n",
            r.bytesUpPerClient(), r.plainBytes(), r.bytesUpPerClient() / (double) r.plainBytes());
      }
      return r.correct() ? 0 : 1;
    } finally {
      pool.shutdown();
    }
  }
}
