package io.interestfl.simulations.plot;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the simulations' charts share: a white antialiased headless canvas, a title that fits, the PNG file. */
public final class Png {
    private Png() {
    }

    /** A white {@code width} x {@code height} image. */
    public static BufferedImage canvas(int width, int height) {
        System.setProperty("java.awt.headless", "true");
        return new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    }

    /** An antialiased pen on {@code img}, its background painted white. */
    public static Graphics2D pen(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        return g;
    }

    /**
     * Draws the title at ({@code left}, 28) in bold; the title names every setting, so a long one gets a smaller font
     * rather than being cut at the right edge.
     */
    public static void title(Graphics2D g, String title, int left, int width) {
        int size = 15;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size));
        while (size > 9 && left + g.getFontMetrics().stringWidth(title) > width - 10) {
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, --size));
        }
        g.drawString(title, left, 28);
    }

    /** Writes {@code img} to {@code out} as PNG, creating its folder. */
    public static void write(BufferedImage img, Path out) {
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ImageIO.write(img, "png", out.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plot " + out, e);
        }
    }
}
