package io.interestfl.coordinator;

import io.interestfl.coordinator.config.CoordinatorConfig;
import io.interestfl.coordinator.server.CoordinatorServer;
import io.interestfl.protocol.Logging;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code interestfl coordinator --config coordinator.yaml}: runs a coordinator until stopped. */
@Command(name = "coordinator", mixinStandardHelpOptions = true,
    description = "Run the federation coordinator (gRPC for client nodes, HTTP admin API with GET /status).")
public final class CoordinatorCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, description = "coordinator YAML configuration file")
  Path config;

  @Option(names = "--grpc-port", description = "override grpc-port from the configuration")
  Integer grpcPort;

  @Option(names = "--admin-port", description = "override admin-port from the configuration")
  Integer adminPort;

  @Override
  public Integer call() throws Exception {
    CoordinatorConfig coordinatorConfig = CoordinatorConfig.load(config);
    if (grpcPort != null) {
      coordinatorConfig.grpcPort = grpcPort;
    }
    if (adminPort != null) {
      coordinatorConfig.adminPort = adminPort;
    }
    Vertx vertx = Vertx.vertx();
    CoordinatorServer server = new CoordinatorServer(coordinatorConfig);
    try {
      vertx.deployVerticle(server).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      vertx.close();
      throw new CommandLine.ParameterException(new CommandLine(this),
          "coordinator could not start: " + e.getCause().getMessage(), e.getCause());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      vertx.close();
      stopped.countDown();
    }));
    stopped.await();
    return 0;
  }

  public static void main(String[] args) {
    Logging.oneLinePerRecord();
    System.exit(new CommandLine(new CoordinatorCommand()).execute(args));
  }
}
