package io.interestfl.simulations.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a training step's time goes, from Java Flight Recorder's execution and native-method samples of the thread
 * that trains (every 10 ms): each sample is charged to the innermost frame that names a part of the step (a DL4J
 * layer's forward or backward pass, the loss, the Adam update, host buffers, batching), and counted as native
 * (inside an ND4J kernel) or Java. Samples of other threads (JIT, GC) are left out.
 *
 * @param samples samples of the training thread
 * @param nativeShare the share of them inside native code
 * @param parts share per part of the step, largest first
 */
public record StepProfile(int samples, double nativeShare, Map<String, Double> parts) {
  /** Frame prefixes that name a part of the step, and how a part is named from its frame. */
  private static final List<String> PARTS = List.of("org.deeplearning4j.nn.layers.", "org.deeplearning4j.nn.graph.vertex.",
      "org.nd4j.linalg.lossfunctions.", "org.nd4j.linalg.learning.", "org.deeplearning4j.nn.updater.",
      "org.nd4j.linalg.api.buffer.", "io.interestfl.interest.model.ExampleBuilder", "io.interestfl.interest.model.InputBatcher",
      "io.interestfl.interest.model.GruLayer");

  /** Runs {@code work} on this thread under a recording and returns its profile. */
  public static StepProfile of(Runnable work) throws IOException {
    long thread = Thread.currentThread().getId();
    Path file = Files.createTempFile("interestfl-step", ".jfr");
    try (Recording recording = new Recording()) {
      recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10)).withStackTrace();
      recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(10)).withStackTrace();
      recording.start();
      work.run();
      recording.stop();
      recording.dump(file);
      Map<String, Integer> counts = new LinkedHashMap<>();
      int samples = 0;
      int inNative = 0;
      for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
        RecordedThread t = e.getThread("sampledThread");
        RecordedStackTrace stack = e.getStackTrace();
        if (t == null || t.getJavaThreadId() != thread || stack == null) {
          continue;
        }
        samples++;
        if (e.getEventType().getName().equals("jdk.NativeMethodSample")) {
          inNative++;
        }
        counts.merge(part(stack.getFrames()), 1, Integer::sum);
      }
      int n = Math.max(1, samples);
      Map<String, Double> parts = counts.entrySet().stream()
          .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
          .collect(Collectors.toMap(Map.Entry::getKey, en -> en.getValue() / (double) n, (a, b) -> a, LinkedHashMap::new));
      return new StepProfile(samples, inNative / (double) n, parts);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** The part of the step the innermost naming frame belongs to, e.g. {@code LSTMHelpers.activateHelper}. */
  static String part(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      if (!f.isJavaFrame()) {
        continue;
      }
      String type = f.getMethod().getType().getName();
      for (String prefix : PARTS) {
        if (type.startsWith(prefix)) {
          String simple = type.substring(type.lastIndexOf('.') + 1);
          return simple + "." + f.getMethod().getName();
        }
      }
    }
    return "other";
  }

  /** The parts above {@code min} share, one per line, indented. */
  public String table(double min) {
    StringBuilder sb = new StringBuilder();
    double rest = 0;
    for (Map.Entry<String, Double> e : parts.entrySet()) {
      if (e.getValue() >= min) {
        sb.append(String.format(java.util.Locale.ROOT, "  %5.1f%%  %s%n", 100 * e.getValue(), e.getKey()));
      } else {
        rest += e.getValue();
      }
    }
    if (rest > 0) {
      sb.append(String.format(java.util.Locale.ROOT, "  %5.1f%%  (smaller parts)%n", 100 * rest));
    }
    return sb.toString();
  }
}
