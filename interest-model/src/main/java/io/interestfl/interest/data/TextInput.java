package io.interestfl.interest.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/** Opens a behaviour log as UTF-8 text, gzip or plain, told apart by the gzip magic bytes. */
final class TextInput {
    private static final int BUFFER = 1 << 16;

    private TextInput() {}

    /** A reader over {@code in}, decompressed when it starts with 1f 8b; {@code in} is not closed here. */
    static BufferedReader open(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, BUFFER);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        InputStream data = (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(buffered, BUFFER) : buffered;
        return new BufferedReader(new InputStreamReader(data, StandardCharsets.UTF_8), BUFFER);
    }

    /** What a loader does with an open stream and the file name its error messages cite. */
    interface StreamLoader<T> {
        T load(InputStream in, String name) throws IOException;
    }

    /** Opens {@code file} and hands it to {@code loader}; an I/O failure names the file. */
    static <T> T load(java.nio.file.Path file, StreamLoader<T> loader) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        try (InputStream raw = java.nio.file.Files.newInputStream(file)) {
            return loader.load(raw, name);
        } catch (IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage();
            throw new java.io.UncheckedIOException("cannot read " + file + ": " + why, e);
        }
    }
}
