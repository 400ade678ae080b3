package io.interestfl.simulations.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class HtmlReportTest {
  @CommandLine.Command(name = "sweep")
  static final class Sweep implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @CommandLine.Option(names = "--seed")
    long seed;

    @Override
    public void run() {}
  }

  /** The page is self-contained: the command with its seed, Markdown tables as tables, the plot embedded, text escaped. */
  @Test
  void aRunPageCarriesTheCommandTablesAndThePlot(@TempDir Path dir) throws Exception {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10};
    Files.write(dir.resolve("plot.png"), png);
    Sweep sweep = new Sweep();
    new CommandLine(sweep).parseArgs("--seed", "7");
    new HtmlReport("Privacy <against> utility").command(sweep.spec)
        .markdown("# Result\n\n| epsilon | NDCG@10 |\n|---:|---:|\n| 1.0 | 0.12 |\n\n![curve](plot.png)\n", dir)
        .table(List.of("a"), List.of(List.of("<script>")))
        .write(dir.resolve("report.html"));
    String html = Files.readString(dir.resolve("report.html"));
    assertTrue(html.contains("<code>./interestfl sweep --seed 7</code>"), html);
    assertTrue(html.contains("<th>epsilon</th><th>NDCG@10</th>") && html.contains("<td class=\"n\">0.12</td>"), html);
    assertFalse(html.contains("---:"), "the separator row is not a row");
    assertTrue(html.contains("src=\"data:image/png;base64,iVBORw0KGgo=\""), "the plot is embedded");
    assertTrue(html.contains("Privacy &lt;against&gt; utility") && html.contains("&lt;script&gt;"));
    assertFalse(html.contains("<script>") || html.contains("http://") || html.contains("https://"),
        "no script and nothing fetched from elsewhere");
  }
}
