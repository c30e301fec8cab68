package org.jgrad.examples.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Pictures that are not charts: grids of small grayscale images (filters, reconstructions,
 * learned kernels, visualised features), a labelled matrix as a heat map (confusion matrices),
 * tables of cells coloured by kind (a convolution's shared weights), and a class-coloured map
 * of a 2-D plane (decision regions). All written as PNG through {@link javax.imageio.ImageIO},
 * headless.
 */
public final class Images {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** Ten distinguishable colours (Tableau 10), for classes. */
    public static final Color[] PALETTE = {
            new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F),
            new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0xBAB0AC)};

    private static final int CAPTION = 16;
    /** Height of the title band {@link #grid(Path, String, List, int, int, int, int, List)} adds on top. */
    public static final int TITLE_BAND = 26;

    private Images() {}

    /**
     * A grid of grayscale images, {@code cols} per row, each {@code h × w} values row-major,
     * drawn {@code scale} pixels per value with a caption underneath (captions may be null).
     * Each image is stretched to black..white over its own min..max, so a filter response
     * with negative values shows as well as a photo; a constant image is mid-grey.
     */
    public static Path grid(Path file, List<float[]> images, int h, int w, int cols, int scale, List<String> captions)
            throws IOException {
        return grid(file, null, images, h, w, cols, scale, captions);
    }

    /** The same grid with a title in a band of {@link #TITLE_BAND} pixels above it (none when title is null). */
    public static Path grid(Path file, String title, List<float[]> images, int h, int w, int cols, int scale, List<String> captions)
            throws IOException {
        return grid(file, title, images, h, w, cols, scale, captions, false);
    }

    /**
     * The same grid, each image with its colour scale in a band of {@link #SCALE_BAND} pixels under
     * it: a black-to-white bar labelled with the image's min and max and marked (in red) where zero
     * falls, so that filters and feature maps, each stretched over its own range, can be read and
     * compared.
     *
     * @param file the PNG to write
     * @param title the title above the grid, or null
     * @param images the images, {@code h × w} values each, row-major
     * @param h the height of each image in values
     * @param w the width of each image in values
     * @param cols images per row
     * @param scale pixels per value
     * @param captions one caption per image (entries may be null), or null
     * @return {@code file}
     * @throws IOException if the file cannot be written
     */
    public static Path gridWithScales(Path file, String title, List<float[]> images, int h, int w, int cols, int scale,
                                      List<String> captions) throws IOException {
        return grid(file, title, images, h, w, cols, scale, captions, true);
    }

    private static Path grid(Path file, String title, List<float[]> images, int h, int w, int cols, int scale, List<String> captions,
                             boolean scales) throws IOException {
        if (images.isEmpty()) throw new IllegalArgumentException("Images.grid: no images");
        if (captions != null && captions.size() != images.size()) {
            throw new IllegalArgumentException("Images.grid: " + images.size() + " images but " + captions.size() + " captions");
        }
        int gap = 4, cap = captions == null ? 0 : CAPTION, bar = scales ? SCALE_BAND : 0;
        int rows = (images.size() + cols - 1) / cols;
        int cellW = w * scale + gap, cellH = h * scale + gap + bar + cap, band = title == null ? 0 : TITLE_BAND;
        BufferedImage img = new BufferedImage(cols * cellW + gap, band + rows * cellH + gap, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(img);
        if (title != null) {
            g.setColor(Color.BLACK);
            Font plain = g.getFont();
            g.setFont(plain.deriveFont(Font.BOLD, 13f));
            drawCentered(g, title, img.getWidth() / 2, band - 8);
            g.setFont(plain);
        }
        for (int i = 0; i < images.size(); i++) {
            float[] im = images.get(i);
            if (im.length != h * w) {
                throw new IllegalArgumentException("Images.grid: image " + i + " has " + im.length + " values, expected " + h + "×" + w);
            }
            float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
            for (float v : im) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            int x0 = gap + (i % cols) * cellW, y0 = band + gap + (i / cols) * cellH;
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    float t = hi > lo ? (im[r * w + c] - lo) / (hi - lo) : 0.5f;
                    int v = Math.round(255 * Math.max(0f, Math.min(1f, t)));
                    g.setColor(new Color(v, v, v));
                    g.fillRect(x0 + c * scale, y0 + r * scale, scale, scale);
                }
            }
            if (scales) drawScale(g, lo, hi, x0, y0 + h * scale, w * scale);
            if (captions != null && captions.get(i) != null) {
                g.setColor(Color.BLACK);
                drawCentered(g, captions.get(i), x0 + w * scale / 2, y0 + h * scale + bar + CAPTION - 4);
            }
        }
        g.dispose();
        return save(img, file);
    }

    /** Height of the colour scale {@link #gridWithScales} puts under each image. */
    public static final int SCALE_BAND = 20;

    /** Marks zero on a colour scale: red stands out on any grey. */
    static final Color ZERO_MARK = new Color(0xD62728);

    /** A colour scale of {@link #SCALE_BAND} pixels from y: the bar, then min and max at its ends and 0 where it falls. */
    private static void drawScale(Graphics2D g, float lo, float hi, int x, int y, int width) {
        int barTop = y + 2, barH = 5;
        for (int i = 0; i < width; i++) {
            int v = hi > lo ? Math.round(255f * i / Math.max(1, width - 1)) : 128;
            g.setColor(new Color(v, v, v));
            g.fillRect(x + i, barTop, 1, barH);
        }
        g.setColor(Color.GRAY);
        g.drawRect(x, barTop, width - 1, barH - 1);
        Font plain = g.getFont();
        g.setFont(plain.deriveFont(Font.PLAIN, 10f));
        FontMetrics fm = g.getFontMetrics();
        int base = barTop + barH + fm.getAscent();
        g.setColor(Color.BLACK);
        if (hi > lo) {
            String min = scaleLabel(lo), max = scaleLabel(hi);
            g.drawString(min, x, base);
            g.drawString(max, x + width - fm.stringWidth(max), base);
            if (lo < 0 && hi > 0) {
                int zx = x + Math.round((width - 1) * -lo / (hi - lo));
                g.setColor(ZERO_MARK);
                g.fillRect(zx, barTop - 1, 1, barH + 2);
                // "0" only where it clears the two end labels
                int half = fm.stringWidth("0") / 2 + 2;
                if (zx - half > x + fm.stringWidth(min) && zx + half < x + width - fm.stringWidth(max)) g.drawString("0", zx - half + 2, base);
            }
        } else {
            drawCentered(g, "all " + scaleLabel(lo), x + width / 2, base);
        }
        g.setFont(plain);
    }

    /** Two significant digits: a colour scale is read at a glance. */
    static String scaleLabel(float v) {
        if (v == 0) return "0";
        String s = new java.math.BigDecimal(v).round(new java.math.MathContext(2)).stripTrailingZeros().toPlainString();
        return Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? String.format(java.util.Locale.ROOT, "%.1e", v) : s;
    }

    /**
     * A matrix as a heat map with its numbers written in the cells and labels on both axes (a
     * confusion matrix: rows true class, columns predicted class).
     */
    public static Path matrix(Path file, String title, long[][] values, String[] rowLabels, String[] colLabels, String rowAxis,
                              String colAxis) throws IOException {
        int rows = values.length, cols = values[0].length, cell = 44, left = 130, top = 80;
        BufferedImage img = new BufferedImage(left + cols * cell + 20, top + rows * cell + 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(img);
        long max = 1;
        for (long[] row : values) for (long v : row) max = Math.max(max, v);
        g.setColor(Color.BLACK);
        g.setFont(g.getFont().deriveFont(Font.BOLD, 14f));
        drawCentered(g, title, img.getWidth() / 2, 20);
        g.setFont(g.getFont().deriveFont(Font.PLAIN, 11f));
        drawCentered(g, colAxis, left + cols * cell / 2, 40);
        g.drawString(rowAxis, 4, top - 8);
        for (int c = 0; c < cols; c++) drawCentered(g, colLabels[c], left + c * cell + cell / 2, top - 6);
        for (int r = 0; r < rows; r++) {
            g.setColor(Color.BLACK);
            g.drawString(rowLabels[r], 4, top + r * cell + cell / 2 + 4);
            for (int c = 0; c < cols; c++) {
                float t = (float) Math.sqrt((double) values[r][c] / max);   // sqrt: small off-diagonal counts stay visible
                g.setColor(new Color(1 - 0.8f * t, 1 - 0.55f * t, 1 - 0.25f * t));
                g.fillRect(left + c * cell, top + r * cell, cell, cell);
                g.setColor(t > 0.6f ? Color.WHITE : Color.BLACK);
                drawCentered(g, Long.toString(values[r][c]), left + c * cell + cell / 2, top + r * cell + cell / 2 + 4);
            }
        }
        g.dispose();
        return save(img, file);
    }

    /** One table of {@link #cells}: a caption, row and column labels, each cell's text and colour (−1: white). */
    public record Cells(String caption, String[] rowLabels, String[] colLabels, String[][] text, int[][] kind) {}

    /**
     * Tables of labelled cells, one under the other: cell (r, c) shows {@code text[r][c]} on a pale
     * tint of {@link #PALETTE}{@code [kind[r][c]]}, or on white where the kind is −1, so entries of
     * one kind share a colour (the copies of one shared weight in a convolution's matrix).
     */
    public static Path cells(Path file, String title, List<Cells> tables) throws IOException {
        int cell = 40, left = 50, head = 44, cols = 0, height = TITLE_BAND + 10;
        for (Cells t : tables) {
            cols = Math.max(cols, t.colLabels().length);
            height += head + t.rowLabels().length * cell;
        }
        BufferedImage img = new BufferedImage(left + cols * cell + 20, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(img);
        Font plain = g.getFont();
        g.setColor(Color.BLACK);
        g.setFont(plain.deriveFont(Font.BOLD, 13f));
        drawCentered(g, title, img.getWidth() / 2, TITLE_BAND - 8);
        int y = TITLE_BAND;
        for (Cells t : tables) {
            g.setColor(Color.BLACK);
            g.setFont(plain.deriveFont(Font.BOLD, 12f));
            g.drawString(t.caption(), 4, y + 18);
            g.setFont(plain.deriveFont(Font.PLAIN, 12f));
            for (int c = 0; c < t.colLabels().length; c++) drawCentered(g, t.colLabels()[c], left + c * cell + cell / 2, y + head - 6);
            y += head;
            for (int r = 0; r < t.rowLabels().length; r++) {
                g.setColor(Color.BLACK);
                g.drawString(t.rowLabels()[r], 8, y + r * cell + cell / 2 + 4);
                for (int c = 0; c < t.colLabels().length; c++) {
                    int kind = t.kind()[r][c];
                    g.setColor(kind < 0 ? Color.WHITE : tint(PALETTE[kind % PALETTE.length]));
                    g.fillRect(left + c * cell, y + r * cell, cell, cell);
                    g.setColor(Color.LIGHT_GRAY);
                    g.drawRect(left + c * cell, y + r * cell, cell, cell);
                    g.setColor(kind < 0 ? Color.GRAY : Color.BLACK);
                    drawCentered(g, t.text()[r][c], left + c * cell + cell / 2, y + r * cell + cell / 2 + 4);
                }
            }
            y += t.rowLabels().length * cell;
        }
        g.dispose();
        return save(img, file);
    }

    /**
     * A plane coloured by class: {@code classes[i·width + j]} is the class at pixel (j, i), row 0 at
     * the top, drawn in a pale tint of {@link #PALETTE}; then the given points (in pixel
     * coordinates, with their classes) on top in full colour.
     */
    public static Path regions(Path file, String title, int[] classes, int width, int height, double[] px, double[] py,
                               int[] pointClasses) throws IOException {
        int top = 28;
        BufferedImage img = new BufferedImage(width, height + top, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(img);
        for (int i = 0; i < height; i++) {
            for (int j = 0; j < width; j++) {
                Color c = PALETTE[classes[i * width + j] % PALETTE.length];
                img.setRGB(j, top + i, tint(c).getRGB());
            }
        }
        for (int k = 0; k < px.length; k++) {
            g.setColor(PALETTE[pointClasses[k] % PALETTE.length]);
            g.fillOval((int) Math.round(px[k]) - 3, top + (int) Math.round(py[k]) - 3, 7, 7);
            g.setColor(Color.DARK_GRAY);
            g.drawOval((int) Math.round(px[k]) - 3, top + (int) Math.round(py[k]) - 3, 7, 7);
        }
        g.setColor(Color.BLACK);
        g.setFont(g.getFont().deriveFont(Font.BOLD, 14f));
        drawCentered(g, title, width / 2, 20);
        g.dispose();
        return save(img, file);
    }

    /** Places images side by side in one row (for example two region maps). */
    public static Path row(Path file, List<BufferedImage> parts) throws IOException {
        int w = 0, h = 0;
        for (BufferedImage p : parts) {
            w += p.getWidth();
            h = Math.max(h, p.getHeight());
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(img);
        int x = 0;
        for (BufferedImage p : parts) {
            g.drawImage(p, x, 0, null);
            x += p.getWidth();
        }
        g.dispose();
        return save(img, file);
    }

    /** Writes an image as PNG through a temporary file and a rename, creating the directory. */
    public static Path save(BufferedImage img, Path file) throws IOException {
        return Plot.writeAtomically(file, out -> {
            if (!ImageIO.write(img, "png", out)) throw new IOException("Images: no PNG writer available for " + file);
        });
    }

    private static Color tint(Color c) {
        return new Color((c.getRed() + 2 * 255) / 3, (c.getGreen() + 2 * 255) / 3, (c.getBlue() + 2 * 255) / 3);
    }

    private static Graphics2D graphics(BufferedImage img) {
        return canvas(img, false);
    }

    /**
     * Graphics on {@code img} painted white, with smooth text; lines and shapes smooth too when
     * {@code smoothShapes} (drawings), not for pixel grids whose cells must keep sharp edges.
     *
     * @param img the picture to draw on
     * @param smoothShapes antialias lines and shapes as well as text
     * @return the graphics, the colour left at white
     */
    public static Graphics2D canvas(BufferedImage img, boolean smoothShapes) {
        Graphics2D g = img.createGraphics();
        if (smoothShapes) g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        return g;
    }

    private static void drawCentered(Graphics2D g, String s, int cx, int baseline) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(s, cx - fm.stringWidth(s) / 2, baseline);
    }
}
