package io.interestfl.simulations.bandit;

import io.interestfl.simulations.plot.Png;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A PNG with two panels for the policies compared: cumulative reward over time (top) and catalogue coverage
 * per bucket (bottom). Plain Java2D, headless.
 */
public final class RewardPlot {
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x7f7f7f), new Color(0x9467bd)};
    private static final int W = 900, H = 760, LEFT = 80, RIGHT = 170, TOP = 50, PANEL = 290, GAP = 80;

    private RewardPlot() {
    }

    public static void write(List<PolicyResult> results, String title, Path out) {
        BufferedImage img = Png.canvas(W, H);
        Graphics2D g = Png.pen(img);
        Png.title(g, title, LEFT, W);
        panel(g, results, TOP, "cumulative reward (clicks)", true);
        panel(g, results, TOP + PANEL + GAP, "catalogue coverage per bucket", false);
        g.dispose();
        Png.write(img, out);
    }

    private static void panel(Graphics2D g, List<PolicyResult> results, int top, String label, boolean reward) {
        int plotW = W - LEFT - RIGHT;
        double maxY = 0;
        int maxSteps = 0;
        for (PolicyResult r : results) {
            double[] s = reward ? r.cumulativeReward() : r.coverageSeries();
            for (double v : s) {
                maxY = Math.max(maxY, v);
            }
            maxSteps = Math.max(maxSteps, s.length * r.bucketSteps());
        }
        maxY = maxY <= 0 ? 1 : maxY * 1.05;
        g.setColor(new Color(0xdddddd));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i <= 5; i++) {
            int y = top + PANEL - i * PANEL / 5;
            g.setColor(new Color(0xe5e5e5));
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.DARK_GRAY);
            double v = maxY * i / 5;
            g.drawString(reward ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v),
                    5, y + 4);
            int x = LEFT + i * plotW / 5;
            g.drawString(String.format(Locale.ROOT, "%d", maxSteps * i / 5), x - 10, top + PANEL + 16);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, top, plotW, PANEL);
        g.drawString(label + " vs step", LEFT, top - 6);
        g.setStroke(new BasicStroke(2f));
        for (int p = 0; p < results.size(); p++) {
            PolicyResult r = results.get(p);
            double[] s = reward ? r.cumulativeReward() : r.coverageSeries();
            g.setColor(COLOURS[p % COLOURS.length]);
            int px = LEFT, py = top + PANEL;
            for (int b = 0; b < s.length; b++) {
                int x = LEFT + (int) Math.round((double) (b + 1) * r.bucketSteps() / maxSteps * plotW);
                int y = top + PANEL - (int) Math.round(s[b] / maxY * PANEL);
                if (b > 0 || reward) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            int ly = top + 20 + p * 20;
            g.drawLine(LEFT + plotW + 15, ly - 4, LEFT + plotW + 40, ly - 4);
            g.setColor(Color.BLACK);
            g.drawString(r.policy(), LEFT + plotW + 45, ly);
        }
        g.setStroke(new BasicStroke(1f));
    }
}
