package io.interestfl.protocol;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/**
 * A model on disk: a flat float32 vector with the model version and a free-form description
 * (architecture and sizes). Layout: magic "IFLM", format version, model version, description, float
 * count, little-endian float32 values, CRC32 of the values. Writes are atomic (temporary file, fsync,
 * rename), so a crash never leaves a half-written model where a good one was.
 */
public record ModelFile(long modelVersion, String description, float[] parameters) {
  private static final int MAGIC = 0x49464C4D; // "IFLM"
  private static final int FORMAT = 1;

  public void write(Path path) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = parent.resolve(path.getFileName() + ".tmp");
    byte[] values = FloatVectors.toBytes(parameters);
    CRC32 crc = new CRC32();
    crc.update(values);
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      OutputStream raw = java.nio.channels.Channels.newOutputStream(channel);
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
      out.writeInt(MAGIC);
      out.writeInt(FORMAT);
      out.writeLong(modelVersion);
      byte[] text = description.getBytes(StandardCharsets.UTF_8);
      out.writeInt(text.length);
      out.write(text);
      out.writeLong(parameters.length);
      out.write(values);
      out.writeLong(crc.getValue());
      out.flush();
      channel.force(true);
    }
    try {
      Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  public static ModelFile read(Path path) throws IOException {
    try (InputStream raw = Files.newInputStream(path);
         DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      if (in.readInt() != MAGIC) {
        throw new IOException(path + ": not an interestfl model file (bad magic)");
      }
      int format = in.readInt();
      if (format != FORMAT) {
        throw new IOException(path + ": unsupported model file format " + format);
      }
      long version = in.readLong();
      int textLength = in.readInt();
      if (textLength < 0 || textLength > 1 << 20) {
        throw new IOException(path + ": corrupt description length " + textLength);
      }
      String description = new String(in.readNBytes(textLength), StandardCharsets.UTF_8);
      long count = in.readLong();
      if (count < 0 || count > Integer.MAX_VALUE / Float.BYTES) {
        throw new IOException(path + ": corrupt parameter count " + count);
      }
      byte[] values = in.readNBytes((int) count * Float.BYTES);
      if (values.length != count * Float.BYTES) {
        throw new IOException(path + ": truncated, expected " + count + " floats");
      }
      long expectedCrc = in.readLong();
      CRC32 crc = new CRC32();
      crc.update(values);
      if (crc.getValue() != expectedCrc) {
        throw new IOException(path + ": checksum mismatch, the file is corrupt");
      }
      float[] parameters = new float[(int) count];
      ByteBuffer.wrap(values).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(parameters);
      return new ModelFile(version, description, parameters);
    } catch (EOFException e) {
      throw new IOException(path + ": truncated model file", e);
    }
  }
}
