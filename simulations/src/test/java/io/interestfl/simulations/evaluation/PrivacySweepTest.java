package io.interestfl.simulations.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interestfl.interest.data.OnlineRetailLoader;
import io.interestfl.interest.model.ModelConfig;
import io.interestfl.simulations.demo.DataLocation;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spain and Belgium (52 training customers), one round: the sweep spends what it targets and writes its outputs. */
class PrivacySweepTest {

  @Test
  void everyClientSpendsItsTargetEpsilonAndTheOutputsAreWritten(@TempDir Path dir) throws Exception {
    EvaluationData all = EvaluationData.onlineRetail(DataLocation.onlineRetail(), OnlineRetailLoader.Format.AUTO,
        false, "country", 10);
    EvaluationData d = PrivacySweepCommand.select(all, List.of("Spain", "Belgium"));
    assertEquals(2, d.clients().size());
    ModelConfig cfg = ModelConfig.defaults("lstm", d.catalogue().size()).withSeed(42);
    PrivacySweep.Result r = new PrivacySweep(new PrivacySweep.Settings(cfg, 0.02, 1, 1, 0.1, 60, 1e-5,
        List.of(1.0, 8.0, Double.POSITIVE_INFINITY), 1), null).run(d);

    assertEquals(3, r.runs().size());
    assertEquals(52, r.trainingCustomers());
    PrivacySweep.Run strict = r.runs().get(0), loose = r.runs().get(1), none = r.runs().get(2);
    for (PrivacySweep.Run run : List.of(strict, loose)) {
      // calibrated to use the budget and not exceed it (the calibration's tolerance is 1e-4 relative)
      assertTrue(run.spentEpsilon() <= run.targetEpsilon() * (1 + 1e-4) && run.spentEpsilon() > 0.95 * run.targetEpsilon(),
          "spent " + run.spentEpsilon() + " for " + run.targetEpsilon());
    }
    assertTrue(strict.meanNoiseMultiplier() > 2 * loose.meanNoiseMultiplier(),
        "epsilon 1 needs more noise: " + strict.meanNoiseMultiplier() + " vs " + loose.meanNoiseMultiplier());
    assertTrue(Double.isNaN(none.spentEpsilon()) && !none.isPrivate());
    assertTrue(none.metrics().ndcg() > r.untrained().ndcg(),
        "one non-private round learns: " + none.metrics().ndcg() + " vs untrained " + r.untrained().ndcg());
    assertTrue(r.popularity().hitRate() > 0.3, "popularity HR@10 " + r.popularity().hitRate());
    assertEquals(36, none.metrics().users(), "every held-out basket scored");

    String csv = PrivacySweepCommand.csv(r);
    List<String> lines = csv.lines().toList();
    assertEquals(4, lines.size());
    assertTrue(lines.get(0).startsWith("target_epsilon,repeat,spent_epsilon"));
    assertTrue(lines.get(3).startsWith("inf,1,,"), lines.get(3));
    Path png = dir.resolve("sweep.png");
    PrivacySweepPlot.write(r, "test", png);
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(900, img.getWidth());
    assertTrue(Files.size(png) > 5_000);
    assertEquals(3, PrivacySweepCommand.toJson(r).getJsonArray("runs").size());
  }

  @Test
  void badSettingsAndUnknownClientsAreErrorsThatSayWhy() {
    ModelConfig cfg = ModelConfig.defaults("lstm", 10);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new PrivacySweep.Settings(cfg, 0.02, 0, 1, 0.1, 60, 1e-5, List.of(0.0), 1));
    assertTrue(e.getMessage().contains("rounds") && e.getMessage().contains("epsilon must be > 0"), e.getMessage());
    EvaluationData none = new EvaluationData(null, List.of(), null, "");
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> PrivacySweepCommand.select(none, List.of("Atlantis")));
    assertTrue(unknown.getMessage().contains("Atlantis"), unknown.getMessage());
  }
}
