package io.edgeloop.server.training;

import io.edgeloop.server.tracking.EpochResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/** Draws loss and validation accuracy per epoch into a PNG with plain Java2D. */
public final class TrainingCurvePlot {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 360;
    private static final int MARGIN = 48;

    public void write(List<EpochResult> epochs, String title, Path png) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            int half = WIDTH / 2;
            double maxLoss = 0;
            for (EpochResult e : epochs) {
                maxLoss = Math.max(maxLoss, Math.max(e.trainLoss(), e.validationLoss()));
            }
            panel(g, 0, "loss (blue: train, red: validation)", epochs, maxLoss,
                    new Series(EpochResult::trainLoss, Color.BLUE), new Series(EpochResult::validationLoss, Color.RED));
            panel(g, half, "validation accuracy", epochs, 1.0, new Series(EpochResult::validationAccuracy, Color.GREEN.darker()));
            g.setColor(Color.BLACK);
            g.drawString(title, MARGIN, 18);
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", png.toFile());
    }

    private record Series(ToDoubleFunction<EpochResult> value, Color color) {
    }

    private static void panel(Graphics2D g, int x0, String label, List<EpochResult> epochs, double max, Series... series) {
        int left = x0 + MARGIN;
        int right = x0 + WIDTH / 2 - 16;
        int top = MARGIN;
        int bottom = HEIGHT - MARGIN;
        g.setColor(Color.GRAY);
        g.drawRect(left, top, right - left, bottom - top);
        g.drawString(label, left, top - 6);
        g.drawString(String.format("%.3f", max), x0 + 4, top + 4);
        g.drawString("0", x0 + 4, bottom);
        g.drawString("epoch " + epochs.size(), right - 50, bottom + 16);
        if (max <= 0 || epochs.isEmpty()) {
            return;
        }
        g.setStroke(new BasicStroke(2f));
        for (Series s : series) {
            g.setColor(s.color());
            int px = -1;
            int py = -1;
            for (int i = 0; i < epochs.size(); i++) {
                double v = s.value().applyAsDouble(epochs.get(i));
                if (Double.isNaN(v)) {
                    continue;
                }
                int x = epochs.size() == 1 ? (left + right) / 2 : left + (right - left) * i / (epochs.size() - 1);
                int y = bottom - (int) ((bottom - top) * Math.min(1, v / max));
                g.fillOval(x - 3, y - 3, 6, 6);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
        }
    }
}
