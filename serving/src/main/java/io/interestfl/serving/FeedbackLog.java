package io.interestfl.serving;

import io.interestfl.interest.data.Basket;
import io.interestfl.interest.data.CustomerHistory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The merchant's local feedback log: a CSV file {@code timestamp_ms,customer,item,event} with a header line,
 * appended one event at a time and fsync'd ({@code FileChannel.force}) before {@link #append} returns, so an
 * acknowledged event survives a crash. It never leaves the merchant: the next federated round trains on the
 * purchases it holds ({@link #histories}).
 *
 * <p>A crash can leave a torn last line (no newline); {@link #read} ignores it.
 */
public final class FeedbackLog implements AutoCloseable {
    public static final String HEADER = "timestamp_ms,customer,item,event";

    private final Path file;
    private final FileChannel channel;

    private FeedbackLog(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Opens (creating it with its header if missing) the log for appending. */
    public static FeedbackLog open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            FeedbackLog log = new FeedbackLog(file, ch);
            if (ch.size() == 0) {
                log.write(HEADER + "\n");
            } else {
                log.terminateTornLine();
            }
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open feedback log " + file, e);
        }
    }

    private void terminateTornLine() throws IOException {
        try (FileChannel r = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            r.read(last, r.size() - 1);
            if (last.get(0) != '\n') {
                write("\n");   // the torn line stays malformed and is skipped by read()
            }
        }
    }

    public Path file() {
        return file;
    }

    /** Appends one event and fsyncs. Thread-safe; blocking (call it off the event loop). */
    public synchronized void append(FeedbackEvent e) {
        try {
            write(e.timestampMillis() + "," + e.customer() + "," + e.item() + "," + e.event().wireName() + "\n");
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot append to feedback log " + file, ex);
        }
    }

    private void write(String line) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            channel.write(b);
        }
        channel.force(false);
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All well-formed events of a log, in file order; malformed or torn lines are skipped. */
    public static List<FeedbackEvent> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read feedback log " + file, e);
        }
        List<FeedbackEvent> out = new ArrayList<>();
        for (String line : lines) {
            if (line.isEmpty() || line.equals(HEADER)) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != 4) {
                continue;
            }
            try {
                FeedbackEvent.Type t = FeedbackEvent.Type.parse(f[3]);
                if (t != null) {
                    out.add(new FeedbackEvent(Long.parseLong(f[0]), f[1], Integer.parseInt(f[2]), t));
                }
            } catch (IllegalArgumentException ignored) {
                // torn or malformed line
            }
        }
        return out;
    }

    /**
     * Purchase histories for training: per customer, the purchase events grouped into baskets by their
     * second, baskets in time order. Customer keys that are decimal numbers keep their value as the id;
     * others get a stable 63-bit FNV-1a hash of the key.
     */
    public static List<CustomerHistory> histories(List<FeedbackEvent> events) {
        Map<Long, TreeMap<Long, List<Integer>>> byCustomer = new TreeMap<>();
        for (FeedbackEvent e : events) {
            if (e.event() != FeedbackEvent.Type.PURCHASE) {
                continue;
            }
            List<Integer> basket = byCustomer.computeIfAbsent(customerId(e.customer()), c -> new TreeMap<>())
                    .computeIfAbsent(Math.floorDiv(e.timestampMillis(), 1000L), t -> new ArrayList<>());
            if (!basket.contains(e.item())) {
                basket.add(e.item());
            }
        }
        List<CustomerHistory> out = new ArrayList<>();
        byCustomer.forEach((c, baskets) -> {
            List<Basket> list = new ArrayList<>();
            baskets.forEach((sec, items) -> list.add(
                    new Basket(sec, items.stream().mapToInt(Integer::intValue).toArray())));
            out.add(new CustomerHistory(c, list));
        });
        return out;
    }

    /** The numeric id of a customer key (see {@link #histories}). */
    public static long customerId(String customer) {
        if (customer.matches("[0-9]{1,18}")) {
            return Long.parseLong(customer);
        }
        long h = 0xcbf29ce484222325L;
        for (byte b : customer.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h & Long.MAX_VALUE;
    }
}
