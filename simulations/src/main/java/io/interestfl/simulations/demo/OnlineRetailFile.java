package io.interestfl.simulations.demo;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --data}, the Online Retail file, as a command-line option (a picocli mixin) of {@code demo} and
 * {@code simulate catalogue-churn}; without it, the shared file ({@link DataLocation#onlineRetail()}).
 */
public final class OnlineRetailFile {
  @Option(names = "--data", description = "Online Retail CSV (gzip or plain); default ../shared/data/online-retail/online_retail.csv.gz")
  Path data;

  /** The file given, or the shared one. */
  public Path file() {
    return data != null ? data : DataLocation.onlineRetail();
  }

  /** As {@link #file()}, a file given made absolute, for the configuration files of other processes. */
  Path absoluteFile() {
    return data != null ? data.toAbsolutePath() : DataLocation.onlineRetail();
  }
}
