package io.interestfl.simulations.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ProfileCommandTest {
  @TempDir
  Path dir;

  @Test
  void recentCategoriesWeighMore() throws Exception {
    // user 1: category a bought 1 day before the end, category b bought at the end; half-life 1 day
    Path log = Files.writeString(dir.resolve("UserBehavior.csv"), "1,10,a,buy,0\n1,11,b,buy,86400\n");
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      assertEquals(0, new CommandLine(new ProfileCommand()).execute("--data", log.toString(), "--preset", "taobao",
          "--half-life-days", "1", "--json"));
    } finally {
      System.setOut(saved);
    }
    JsonArray users = new JsonArray(out.toString(StandardCharsets.UTF_8));
    JsonArray cats = users.getJsonObject(0).getJsonArray("categories");
    assertEquals("b", cats.getJsonObject(0).getString("category"));
    assertEquals(2 / 3.0, cats.getJsonObject(0).getDouble("share"), 1e-9);
    assertEquals(1 / 3.0, cats.getJsonObject(1).getDouble("share"), 1e-9);
  }
}
