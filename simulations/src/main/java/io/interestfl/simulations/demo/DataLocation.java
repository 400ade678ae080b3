package io.interestfl.simulations.demo;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the shared Online Retail file: $INTERESTFL_DATA, or ../shared/data/... above the working directory. */
public final class DataLocation {
  public static final String RELATIVE = "shared/data/online-retail/online_retail.csv.gz";

  private DataLocation() {}

  public static Path onlineRetail() {
    String override = System.getenv("INTERESTFL_DATA");
    if (override != null && !override.isBlank()) {
      return Path.of(override);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      for (Path candidate : new Path[] {dir.resolve(RELATIVE), dir.resolveSibling(RELATIVE)}) {
        if (candidate != null && Files.isReadable(candidate)) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException("cannot find " + RELATIVE + " above " + Path.of("").toAbsolutePath()
        + "; set INTERESTFL_DATA or pass --data");
  }
}
