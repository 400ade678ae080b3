package io.interestfl.coordinator.checkpoint;

import io.interestfl.protocol.ModelFile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.logging.Logger;

/**
 * Checkpoints in a directory: {@code model-v<N>.bin} (and optimizer state files) are written first,
 * then {@code state.json}, which names them, is replaced atomically. A crash at any point leaves the
 * previous {@code state.json} and the files it names intact, so a restart resumes from the last
 * committed round. Older model files are pruned after the new state is in place.
 */
public final class CheckpointStore {
  private static final Logger LOG = Logger.getLogger(CheckpointStore.class.getName());
  private static final String STATE = "state.json";
  private static final String LAST_ROUND = "last-round-id";
  private final Path directory;

  public CheckpointStore(Path directory) {
    this.directory = directory;
  }

  public Path directory() {
    return directory;
  }

  public void save(FederationSnapshot snapshot) {
    try {
      Files.createDirectories(directory);
      String modelName = "model-v" + snapshot.modelVersion() + ".bin";
      new ModelFile(snapshot.modelVersion(), snapshot.modelDescription(), snapshot.model())
          .write(directory.resolve(modelName));
      JsonArray optimizerFiles = new JsonArray();
      float[][] state = snapshot.optimizerState();
      for (int i = 0; i < state.length; i++) {
        String name = "optimizer-v" + snapshot.modelVersion() + "-" + i + ".bin";
        new ModelFile(snapshot.modelVersion(), "optimizer state " + i, state[i]).write(directory.resolve(name));
        optimizerFiles.add(name);
      }
      JsonObject json = new JsonObject()
          .put("modelVersion", snapshot.modelVersion())
          .put("lastRoundId", snapshot.lastRoundId())
          .put("model", modelName)
          .put("optimizerState", optimizerFiles)
          .put("history", snapshot.history())
          .put("evaluations", snapshot.evaluations());
      writeAtomically(directory.resolve(STATE), json.encodePrettily());
      prune(snapshot.modelVersion());
    } catch (IOException e) {
      throw new UncheckedIOException("could not write checkpoint to " + directory, e);
    }
  }

  /** The last checkpoint, or null when the directory holds none. */
  public FederationSnapshot load() {
    Path statePath = directory.resolve(STATE);
    if (!Files.exists(statePath)) {
      return null;
    }
    try {
      JsonObject json = new JsonObject(Files.readString(statePath, StandardCharsets.UTF_8));
      ModelFile model = ModelFile.read(directory.resolve(json.getString("model")));
      JsonArray optimizerFiles = json.getJsonArray("optimizerState", new JsonArray());
      float[][] optimizerState = new float[optimizerFiles.size()][];
      for (int i = 0; i < optimizerState.length; i++) {
        optimizerState[i] = ModelFile.read(directory.resolve(optimizerFiles.getString(i))).parameters();
      }
      return new FederationSnapshot(json.getLong("modelVersion"), json.getLong("lastRoundId"),
          model.parameters(), model.description(), optimizerState,
          json.getJsonArray("history", new JsonArray()), json.getJsonObject("evaluations"));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("checkpoint " + statePath + " is unreadable: " + e.getMessage()
          + " (move the directory away to start the federation from scratch)", e);
    }
  }

  /** The highest round id recorded by {@link #opened} (0 when none). */
  public long lastOpenedRound() {
    Path file = directory.resolve(LAST_ROUND);
    try {
      return Files.exists(file) ? Long.parseLong(Files.readString(file).trim()) : 0;
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Records round {@code roundId} as opened, fsynced and moved into place atomically. */
  public void opened(long roundId) {
    try {
      Files.createDirectories(directory);
      writeAtomically(directory.resolve(LAST_ROUND), roundId + "\n");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot record round " + roundId + " in " + directory.resolve(LAST_ROUND), e);
    }
  }

  private static void writeAtomically(Path target, String text) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
      channel.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private void prune(long keepVersion) {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "{model,optimizer}-v*.bin")) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        String version = name.substring(name.indexOf("-v") + 2).replaceAll("[^0-9].*$", "");
        if (!version.isEmpty() && Long.parseLong(version) < keepVersion) {
          Files.deleteIfExists(file);
        }
      }
    } catch (IOException e) {
      LOG.warning("could not prune old checkpoints in " + directory + ": " + e);
    }
  }
}
