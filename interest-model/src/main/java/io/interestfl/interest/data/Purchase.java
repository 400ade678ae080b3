package io.interestfl.interest.data;

import java.util.Objects;

/**
 * One cleaned purchase row of the Online Retail data set.
 *
 * @param invoice      invoice (basket) number, e.g. {@code "536365"}
 * @param stockCode    product code as it appears in the file (case preserved), e.g. {@code "85123A"}
 * @param customerId   customer id (12346..18287 in the real data)
 * @param country      country of the customer, e.g. {@code "United Kingdom"}
 * @param epochSeconds invoice time in seconds since the epoch; the file's UK wall-clock time is
 *                     interpreted in the {@code Europe/London} zone
 * @param quantity     quantity (always &gt; 0 after cleaning)
 */
public record Purchase(String invoice, String stockCode, long customerId, String country, long epochSeconds,
                       int quantity) {
    public Purchase {
        Objects.requireNonNull(invoice, "invoice");
        Objects.requireNonNull(stockCode, "stockCode");
        Objects.requireNonNull(country, "country");
    }
}
