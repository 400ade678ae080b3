package io.interestfl.client.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.interest.data.ItemCatalogue;
import io.interestfl.protocol.v1.CatalogueInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MerchantDataTest {
  private static final List<String> CODES = List.of("10001", "10002", "10003");

  private static MerchantData loaded(Path dir) throws Exception {
    Files.writeString(dir.resolve("data.csv"), """
        InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
        500001,10001,A,1,2010-12-01 08:00:00,1.00,1,Germany
        500001,10002,B,1,2010-12-01 08:00:00,1.00,1,Germany
        500002,10003,C,1,2010-12-02 08:00:00,1.00,1,Germany
        500003,10001,A,1,2010-12-03 08:00:00,1.00,1,Germany
        500004,10002,B,1,2010-12-01 09:00:00,1.00,2,Germany
        500005,10003,C,1,2010-12-02 09:00:00,1.00,2,Germany
        """);
    ClientConfig config = new ClientConfig().baseDirectory(dir);
    config.name = "germany";
    config.data = "data.csv";
    MerchantData data = new MerchantData(config);
    data.load();
    return data;
  }

  private static CatalogueInfo published(ItemCatalogue catalogue) {
    return CatalogueInfo.newBuilder().setSha256(catalogue.sha256()).setSize(catalogue.size()).build();
  }

  @Test
  void registersWithItsDistinctBasketsAndSplitsOnTheCatalogue(@TempDir Path dir) throws Exception {
    MerchantData data = loaded(dir);
    assertEquals(5, data.basketCount());
    assertNull(data.split());
    data.useCatalogue(CODES, published(ItemCatalogue.of(CODES)));
    assertEquals(2, data.split().test().size());
  }

  @Test
  void refusesACatalogueThatDoesNotMatchItsPublishedHash(@TempDir Path dir) throws Exception {
    MerchantData data = loaded(dir);
    CatalogueInfo other = published(ItemCatalogue.of(List.of("10001", "10002")));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> data.useCatalogue(CODES, other));
    assertTrue(e.getMessage().contains("does not match its published hash"), e.getMessage());
    assertNull(data.split());
  }
}
