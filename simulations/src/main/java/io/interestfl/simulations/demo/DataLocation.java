package io.interestfl.simulations.demo;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the shared Online Retail file: $INTERESTFL_DATA (the file, or the folder that holds online_retail.csv.gz), or
 * ../shared/data/... above the working directory.
 */
public final class DataLocation {
  public static final String RELATIVE = "shared/data/online-retail/online_retail.csv.gz";

  private DataLocation() {}

  public static Path onlineRetail() {
    String override = System.getenv("INTERESTFL_DATA");
    if (override != null && !override.isBlank()) {
      Path p = Path.of(override);
      // the folder that holds the file works too, as in the tests' RealData
      return Files.isDirectory(p) ? p.resolve("online_retail.csv.gz") : p;
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      for (Path candidate : new Path[] {dir.resolve(RELATIVE), dir.resolveSibling(RELATIVE)}) {
        if (candidate != null && Files.isReadable(candidate)) {
          return candidate;
        }
      }
    }
    throw new IllegalArgumentException("cannot find " + RELATIVE + " above " + Path.of("").toAbsolutePath()
        + "; set INTERESTFL_DATA or pass --data");
  }
}
