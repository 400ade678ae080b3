package io.interestfl.serving;

import io.interestfl.interest.data.CustomerHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FeedbackLogTest {
    @TempDir
    Path dir;

    @Test
    void appendsWithHeaderAndReadsBackSkippingATornLine() throws Exception {
        Path file = dir.resolve("log/feedback.csv");
        try (FeedbackLog log = FeedbackLog.open(file)) {
            log.append(new FeedbackEvent(1000, "12346", 7, FeedbackEvent.Type.IMPRESSION));
            log.append(new FeedbackEvent(2000, "12346", 7, FeedbackEvent.Type.PURCHASE));
        }
        Files.writeString(file, "3000,12346,8,purch", StandardCharsets.UTF_8, StandardOpenOption.APPEND);   // crash mid-line
        try (FeedbackLog log = FeedbackLog.open(file)) {   // reopening terminates the torn line
            log.append(new FeedbackEvent(4000, "12346", 9, FeedbackEvent.Type.CLICK));
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(FeedbackLog.HEADER, lines.get(0));
        List<FeedbackEvent> events = FeedbackLog.read(file);
        assertEquals(List.of(new FeedbackEvent(1000, "12346", 7, FeedbackEvent.Type.IMPRESSION),
                new FeedbackEvent(2000, "12346", 7, FeedbackEvent.Type.PURCHASE),
                new FeedbackEvent(4000, "12346", 9, FeedbackEvent.Type.CLICK)), events);
    }

    @Test
    void purchasesBecomeBasketsPerCustomerAndSecond() {
        List<FeedbackEvent> events = List.of(
                new FeedbackEvent(5_000, "12346", 3, FeedbackEvent.Type.PURCHASE),
                new FeedbackEvent(5_400, "12346", 4, FeedbackEvent.Type.PURCHASE),
                new FeedbackEvent(5_500, "12346", 4, FeedbackEvent.Type.PURCHASE),   // duplicate in basket
                new FeedbackEvent(1_000, "12346", 9, FeedbackEvent.Type.PURCHASE),   // earlier basket
                new FeedbackEvent(1_000, "12346", 2, FeedbackEvent.Type.CLICK),      // not a purchase
                new FeedbackEvent(7_000, "web-anon", 5, FeedbackEvent.Type.PURCHASE));
        List<CustomerHistory> h = FeedbackLog.histories(events);
        assertEquals(2, h.size());
        CustomerHistory c = h.stream().filter(x -> x.customerId() == 12346).findFirst().orElseThrow();
        assertEquals(2, c.baskets().size());
        assertEquals(1, c.baskets().get(0).epochSeconds());
        assertArrayEquals(new int[]{9}, c.baskets().get(0).itemIds());
        assertArrayEquals(new int[]{3, 4}, c.baskets().get(1).itemIds());
        assertEquals(FeedbackLog.customerId("web-anon"),
                h.stream().filter(x -> x.customerId() != 12346).findFirst().orElseThrow().customerId());
    }
}
