package io.interestfl.simulations.reference;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the PyTorch peers shipped in this jar ({@code sasrec_reference.py} for {@code evaluate --torch-reference},
 * {@code torch_train_peer.py} for {@code bench train}): copies a script out of the jar, runs it with a given Python
 * and OpenMP/OpenBLAS/MKL thread count, passes its error output to a consumer and reads the JSON object its last
 * line of output holds. The scripts refuse to run on any BLAS but OpenBLAS.
 */
public final class PythonPeer {
  private PythonPeer() {}

  /** Copies the script {@code name} of this package's resources to a new temporary file (the caller deletes it). */
  public static Path extract(String name) throws IOException {
    Path tmp = Files.createTempFile("interestfl-" + name.replace(".py", "-"), ".py");
    try (InputStream in = PythonPeer.class.getResourceAsStream(name)) {
      if (in == null) {
        Files.deleteIfExists(tmp);
        throw new IllegalStateException("the peer script " + name + " is missing from the jar");
      }
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
    }
    return tmp;
  }

  /**
   * Runs {@code python script args...} with {@code threads} threads, each line of its error output to
   * {@code stderr}, and returns its last line of output as JSON.
   *
   * @throws IllegalStateException when it exits with an error or prints nothing (the message names its last line of
   *     error output, e.g. the refusal of a BLAS other than OpenBLAS)
   */
  public static JsonObject run(String python, Path script, List<String> args, int threads, Consumer<String> stderr)
      throws IOException {
    List<String> cmd = new ArrayList<>(List.of(python, script.toString()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    for (String v : List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")) {
      pb.environment().put(v, String.valueOf(threads));
    }
    Process p = pb.start();
    List<String> errors = new ArrayList<>();
    Thread drain = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (errors) {
            errors.add(line);
          }
          stderr.accept(line);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, "python-peer-stderr");
    drain.setDaemon(true);
    drain.start();
    String last = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        last = line;
      }
    }
    try {
      int rc = p.waitFor();
      drain.join(TimeUnit.SECONDS.toMillis(5));
      if (rc != 0 || last == null) {
        String why;
        synchronized (errors) {
          why = errors.isEmpty() ? "no output" : errors.get(errors.size() - 1);
        }
        throw new IllegalStateException(script.getFileName() + " (" + python + ") failed with exit code " + rc + ": "
            + why);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + script.getFileName() + " ran", e);
    }
    return new JsonObject(last);
  }
}
