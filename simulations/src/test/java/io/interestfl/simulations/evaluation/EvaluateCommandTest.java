package io.interestfl.simulations.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.interest.data.Behaviour;
import io.interestfl.interest.data.EventLogFormat;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvaluateCommandTest {
  static final String TAOBAO = "1,10,c1,pv,1511544070\n1,11,c1,buy,1511544090\n1,10,c1,buy,1511600000\n"
      + "2,10,c1,pv,1511544070\n2,12,c2,cart,1511544080\n2,11,c1,buy,1511700000\n"
      + "3,12,c2,buy,1511544070\n3,12,c2,buy,1511644070\n";

  @TempDir
  Path dir;

  @Test
  void evaluatesAnEventLogEndToEndAsJson() throws Exception {
    Path log = Files.writeString(dir.resolve("UserBehavior.csv"), TAOBAO);
    assertEquals("events", EvaluateCommand.detect(log));
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      rc = new CommandLine(new EvaluateCommand()).execute("--data", log.toString(), "--preset", "taobao",
          "--partition-by", "hash:2", "--rounds", "1", "--group-by", "event", "--embedding", "4", "--hidden", "4",
          "--json");
    } finally {
      System.setOut(saved);
    }
    assertEquals(0, rc);
    JsonObject json = new JsonObject(out.toString(StandardCharsets.UTF_8));
    assertEquals(3, json.getJsonObject("data").getInteger("users"));
    assertEquals(8, json.getJsonObject("data").getInteger("events"));
    assertEquals(3, json.getJsonObject("methods").getJsonObject("federated").getJsonObject("overall").getInteger("users"));
    assertTrue(json.getJsonObject("targets").containsKey("federatedOverCentralized"));
  }

  @Test
  void mappingOptionsOverrideThePreset() {
    EvaluateCommand c = new EvaluateCommand();
    new CommandLine(c).parseArgs("--preset", "retailrocket", "--behaviour-map", "view=view,addtocart=cart,transaction=buy,fav=favorite",
        "--category", "categoryid", "--separator", "tab");
    EventLogFormat f = c.eventFormat();
    assertEquals("visitorid", f.user());
    assertEquals(Behaviour.FAVORITE, f.behaviours().get("fav"));
    assertEquals("categoryid", f.category());
    assertEquals('\t', f.separator());
  }

  @Test
  void detectsOnlineRetailByItsHeader() throws Exception {
    Path p = Files.writeString(dir.resolve("r.csv"),
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n");
    assertEquals("online-retail", EvaluateCommand.detect(p));
  }
}
