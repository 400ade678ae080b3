package io.interestfl.simulations.evaluation;

import io.interestfl.simulations.plot.Png;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * NDCG@10 of the federated model against the customers' epsilon (log scale): every run as a point, the mean per
 * epsilon as a line, the non-private model and the popularity baseline as horizontal lines. Plain Java2D, headless.
 */
final class PrivacySweepPlot {
  private static final int W = 900, H = 520, LEFT = 80, RIGHT = 190, TOP = 60, BOTTOM = 60;
  private static final Color DP = new Color(0x1f77b4), NON_PRIVATE = new Color(0x2ca02c),
      POPULARITY = new Color(0xd62728), UNTRAINED = new Color(0x7f7f7f);

  private PrivacySweepPlot() {
  }

  static void write(PrivacySweep.Result result, String title, Path out) {
    List<PrivacySweep.Run> dp = result.runs().stream().filter(PrivacySweep.Run::isPrivate).toList();
    List<PrivacySweep.Run> reference = result.runs().stream().filter(r -> !r.isPrivate()).toList();
    double nonPrivate = reference.stream().mapToDouble(r -> r.metrics().ndcg()).average().orElse(Double.NaN);
    double maxY = Math.max(result.popularity().ndcg(), result.untrained().ndcg());
    for (PrivacySweep.Run r : result.runs()) {
      maxY = Math.max(maxY, r.metrics().ndcg());
    }
    maxY = maxY <= 0 ? 1 : maxY * 1.1;
    double minE = dp.stream().mapToDouble(PrivacySweep.Run::targetEpsilon).min().orElse(1);
    double maxE = dp.stream().mapToDouble(PrivacySweep.Run::targetEpsilon).max().orElse(10);
    double lo = Math.log10(minE) - 0.15, hi = Math.log10(Math.max(maxE, minE * 1.01)) + 0.15;
    int plotW = W - LEFT - RIGHT, plotH = H - TOP - BOTTOM;

    BufferedImage img = Png.canvas(W, H);
    Graphics2D g = Png.pen(img);
    Png.title(g, title, LEFT, W);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.drawString("NDCG@" + PrivacySweep.K + " of the federated model vs the customers' epsilon (log scale)", LEFT, TOP - 8);
    for (int i = 0; i <= 5; i++) {
      int y = TOP + plotH - i * plotH / 5;
      g.setColor(new Color(0xe5e5e5));
      g.drawLine(LEFT, y, LEFT + plotW, y);
      g.setColor(Color.DARK_GRAY);
      g.drawString(String.format(Locale.ROOT, "%.3f", maxY * i / 5), 5, y + 4);
    }
    TreeMap<Double, double[]> byEpsilon = new TreeMap<>();   // epsilon -> {sum, count}
    for (PrivacySweep.Run r : dp) {
      double[] acc = byEpsilon.computeIfAbsent(r.targetEpsilon(), e -> new double[2]);
      acc[0] += r.metrics().ndcg();
      acc[1]++;
    }
    for (double e : byEpsilon.keySet()) {
      int x = x(e, lo, hi, plotW);
      g.setColor(Color.DARK_GRAY);
      g.drawString(PrivacySweep.formatEpsilon(e), x - 8, TOP + plotH + 16);
    }
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, TOP, plotW, plotH);
    g.drawString("epsilon (per client's customers, whole federation)", LEFT + plotW / 2 - 130, TOP + plotH + 36);

    float[] dash = {6f, 4f};
    int legend = 0;
    legend = hline(g, nonPrivate, maxY, plotW, plotH, NON_PRIVATE, dash, "non-private", legend);
    legend = hline(g, result.popularity().ndcg(), maxY, plotW, plotH, POPULARITY, dash, "popularity", legend);
    legend = hline(g, result.untrained().ndcg(), maxY, plotW, plotH, UNTRAINED, dash, "untrained", legend);
    g.setColor(DP);
    g.setStroke(new BasicStroke(2f));
    int px = -1, py = -1;
    for (var e : byEpsilon.entrySet()) {
      int x = x(e.getKey(), lo, hi, plotW), y = y(e.getValue()[0] / e.getValue()[1], maxY, plotH);
      if (px >= 0) {
        g.drawLine(px, py, x, y);
      }
      px = x;
      py = y;
    }
    for (PrivacySweep.Run r : dp) {
      int x = x(r.targetEpsilon(), lo, hi, plotW), y = y(r.metrics().ndcg(), maxY, plotH);
      g.fillOval(x - 4, y - 4, 8, 8);
    }
    int ly = TOP + 20 + legend * 20;
    g.drawLine(LEFT + plotW + 15, ly - 4, LEFT + plotW + 40, ly - 4);
    g.setColor(Color.BLACK);
    g.drawString("DP-SGD (runs, mean)", LEFT + plotW + 45, ly);
    g.dispose();
    Png.write(img, out);
  }

  private static int hline(Graphics2D g, double v, double maxY, int plotW, int plotH, Color colour, float[] dash,
                           String label, int legend) {
    if (Double.isNaN(v)) {
      return legend;
    }
    g.setColor(colour);
    g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f));
    int y = y(v, maxY, plotH);
    g.drawLine(LEFT, y, LEFT + plotW, y);
    int ly = TOP + 20 + legend * 20;
    g.drawLine(LEFT + plotW + 15, ly - 4, LEFT + plotW + 40, ly - 4);
    g.setStroke(new BasicStroke(1f));
    g.setColor(Color.BLACK);
    g.drawString(String.format(Locale.ROOT, "%s %.3f", label, v), LEFT + plotW + 45, ly);
    return legend + 1;
  }

  private static int x(double epsilon, double lo, double hi, int plotW) {
    return LEFT + (int) Math.round((Math.log10(epsilon) - lo) / (hi - lo) * plotW);
  }

  private static int y(double v, double maxY, int plotH) {
    return TOP + plotH - (int) Math.round(v / maxY * plotH);
  }
}
