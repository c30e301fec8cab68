package org.jgrad.examples.plot;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jgrad.io.AtomicFiles;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A line or scatter chart written as PNG, a thin layer over XChart so that an example says what
 * it plots in three lines:
 *
 * <pre>
 * Plot.of("Training loss", "epoch", "loss").line("1 layer", epochs, loss1).line("4 layers", epochs, loss4)
 *     .save(dir.resolve("depth.png"));
 * </pre>
 *
 * Rendering is headless (no display needed); {@link #save} writes to a temporary file and renames
 * it, so a failed render never leaves half a PNG behind.
 */
public final class Plot {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    public static final int WIDTH = 800, HEIGHT = 560;

    private final XYChart chart;

    private Plot(String title, String xLabel, String yLabel, int width, int height) {
        chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        Styler st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setLegendPosition(Styler.LegendPosition.InsideNE);
        st.setMarkerSize(5);
        st.setAntiAlias(true);
    }

    /** An empty chart of the default size. */
    public static Plot of(String title, String xLabel, String yLabel) {
        return new Plot(title, xLabel, yLabel, WIDTH, HEIGHT);
    }

    /** An empty chart of the given size in pixels. */
    public static Plot of(String title, String xLabel, String yLabel, int width, int height) {
        return new Plot(title, xLabel, yLabel, width, height);
    }

    /** Adds a curve through the points (x[i], y[i]), without markers unless it has a single point (a line of one point draws nothing). */
    public Plot line(String name, double[] x, double[] y) {
        add(name, x, y, XYSeries.XYSeriesRenderStyle.Line).setMarker(x.length == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        return this;
    }

    /** Adds the points (x[i], y[i]) as dots. */
    public Plot points(String name, double[] x, double[] y) {
        add(name, x, y, XYSeries.XYSeriesRenderStyle.Scatter).setMarker(SeriesMarkers.CIRCLE);
        return this;
    }

    /** Adds the points as dots of a given colour (for class-coloured scatter plots). */
    public Plot points(String name, double[] x, double[] y, Color color) {
        XYSeries s = add(name, x, y, XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(color);
        return this;
    }

    /** Logarithmic y axis (loss curves that fall over decades). */
    public Plot logY() {
        chart.getStyler().setYAxisLogarithmic(true);
        return this;
    }

    /** Fixes the y range instead of fitting it to the data. */
    public Plot yRange(double min, double max) {
        chart.getStyler().setYAxisMin(min);
        chart.getStyler().setYAxisMax(max);
        return this;
    }

    /** The XChart chart, for anything this class does not wrap. */
    public XYChart chart() {
        return chart;
    }

    /** Writes the chart as a PNG file (creating its directory) and returns the path. */
    public Path save(Path file) throws IOException {
        return Images.save(toImage(), file);
    }

    /**
     * The chart drawn at its own size, with the axes of {@link #paint}.
     *
     * @return a new picture of the chart
     */
    public BufferedImage toImage() {
        BufferedImage img = new BufferedImage(chart.getWidth(), chart.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        paint(g, img.getWidth(), img.getHeight());
        g.dispose();
        return img;
    }

    /**
     * Draws the chart into {@code width × height} pixels of {@code g}: XChart draws the title,
     * curves, legend and frame; the ticks, their labels and grid lines, and the axis titles are
     * drawn here from {@link Ticks#choose}, so that labels never overlap, a curve of one point gets
     * readable round labels and a logarithmic axis gets several labels even inside one decade.
     * The chart's own settings are as before afterwards (it can still be drawn by XChart alone).
     *
     * @param g where to draw, at its origin
     * @param width the width in pixels
     * @param height the height in pixels
     */
    public void paint(Graphics2D g, int width, int height) {
        AxesChartStyler st = chart.getStyler();
        Double[] userRange = {st.getXAxisMin(), st.getXAxisMax(), st.getYAxisMin(), st.getYAxisMax()};
        boolean xLog = st.isXAxisLogarithmic(), yLog = st.isYAxisLogarithmic();
        double[] xr = range(userRange[0], userRange[1], true, xLog), yr = range(userRange[2], userRange[3], false, yLog);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        FontMetrics tf = g.getFontMetrics(st.getAxisTickLabelsFont()), af = g.getFontMetrics(st.getAxisTitleFont());
        int pad = 6, tick = 4, gap = 4;
        List<Ticks.Tick> yTicks = Ticks.choose(yr[0], yr[1], yLog, false, height * 0.75, s -> tf.getAscent(), 1.2 * tf.getAscent());
        int labelsW = 0;
        for (Ticks.Tick t : yTicks) if (t.label() != null) labelsW = Math.max(labelsW, tf.stringWidth(t.label()));
        int left = pad + af.getHeight() + gap + labelsW + tick + gap, bottom = pad + af.getHeight() + gap + tf.getHeight() + tick;
        List<Ticks.Tick> xTicks = Ticks.choose(xr[0], xr[1], xLog, allWhole(true), (width - left) * 0.85, tf::stringWidth, 12);
        boolean[] was = {st.isXAxisTicksVisible(), st.isYAxisTicksVisible(), st.isXAxisTitleVisible(), st.isYAxisTitleVisible(),
                st.isPlotGridLinesVisible()};
        Color plotBg = st.getPlotBackgroundColor(), chartBg = st.getChartBackgroundColor();
        try {
            st.setXAxisMin(xr[0]).setXAxisMax(xr[1]).setYAxisMin(yr[0]).setYAxisMax(yr[1]);
            st.setAxisTicksVisible(false).setAxisTitlesVisible(false).setPlotGridLinesVisible(false);
            Graphics2D scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
            chart.paint(scratch, width - left, height - bottom);   // lays out the plot box, so the mapping to pixels is known
            scratch.dispose();
            double content = st.getPlotContentSize();   // XChart keeps (1 − content) / 2 of the box free at each end
            double x0 = left + chart.getScreenXFromChart(xr[0]), x1 = left + chart.getScreenXFromChart(xr[1]);
            double y0 = chart.getScreenYFromChart(yr[0]), y1 = chart.getScreenYFromChart(yr[1]);
            double mx = (x1 - x0) * (1 - content) / 2 / content, my = (y0 - y1) * (1 - content) / 2 / content;
            int boxL = (int) Math.round(x0 - mx), boxR = (int) Math.round(x1 + mx), boxT = (int) Math.round(y1 - my),
                    boxB = (int) Math.round(y0 + my);
            g.setColor(chartBg);
            g.fillRect(0, 0, width, height);
            g.setColor(plotBg);
            g.fillRect(boxL, boxT, boxR - boxL, boxB - boxT);
            for (Ticks.Tick t : xTicks) {
                int x = (int) Math.round(left + chart.getScreenXFromChart(t.value()));
                g.setColor(t.label() == null ? MINOR_GRID : GRID);
                g.drawLine(x, boxT, x, boxB);
            }
            for (Ticks.Tick t : yTicks) {
                int y = (int) Math.round(chart.getScreenYFromChart(t.value()));
                g.setColor(t.label() == null ? MINOR_GRID : GRID);
                g.drawLine(boxL, y, boxR, y);
            }
            Color clear = new Color(0, 0, 0, 0);
            st.setPlotBackgroundColor(clear).setChartBackgroundColor(clear);
            Graphics2D cell = (Graphics2D) g.create();
            cell.translate(left, 0);   // no clip: a title wider than the plot may reach into the left margin, as it did before
            chart.paint(cell, width - left, height - bottom);
            cell.dispose();
            g.setColor(st.getAxisTickLabelsColor());
            g.setFont(st.getAxisTickLabelsFont());
            for (Ticks.Tick t : xTicks) {
                if (t.label() == null) continue;
                int x = (int) Math.round(left + chart.getScreenXFromChart(t.value()));
                g.drawLine(x, boxB, x, boxB + tick);
                g.drawString(t.label(), x - tf.stringWidth(t.label()) / 2, boxB + tick + tf.getAscent());
            }
            for (Ticks.Tick t : yTicks) {
                if (t.label() == null) continue;
                int y = (int) Math.round(chart.getScreenYFromChart(t.value()));
                g.drawLine(boxL - tick, y, boxL, y);
                g.drawString(t.label(), boxL - tick - gap - tf.stringWidth(t.label()), y + tf.getAscent() / 2 - 1);
            }
            g.setFont(st.getAxisTitleFont());
            String xTitle = chart.getXAxisTitle(), yTitle = chart.getYAxisTitle();
            if (was[2] && xTitle != null) g.drawString(xTitle, (boxL + boxR - af.stringWidth(xTitle)) / 2, boxB + tick + tf.getHeight() + gap + af.getAscent());
            if (was[3] && yTitle != null) {
                Graphics2D r = (Graphics2D) g.create();
                r.rotate(-Math.PI / 2);
                r.drawString(yTitle, -(boxT + boxB + af.stringWidth(yTitle)) / 2, pad + af.getAscent());
                r.dispose();
            }
        } finally {
            st.setXAxisMin(userRange[0]).setXAxisMax(userRange[1]).setYAxisMin(userRange[2]).setYAxisMax(userRange[3]);
            st.setXAxisTicksVisible(was[0]).setYAxisTicksVisible(was[1]).setXAxisTitleVisible(was[2]).setYAxisTitleVisible(was[3]);
            st.setPlotGridLinesVisible(was[4]).setPlotBackgroundColor(plotBg).setChartBackgroundColor(chartBg);
        }
    }

    private static final Color GRID = new Color(0xDDDDDD), MINOR_GRID = new Color(0xF0F0F0);

    /**
     * An axis's range: the user's where set, else the data's; a single value gets room around
     * it (±1 for a whole number such as the one epoch of a short run, else ±10 %, a factor 2 on
     * a logarithmic axis) so that ticks can be placed.
     */
    private double[] range(Double userLo, Double userHi, boolean x, boolean log) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (XYSeries s : chart.getSeriesMap().values()) {
            for (double v : x ? s.getXData() : s.getYData()) {
                if (Double.isFinite(v) && (!log || v > 0)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (userLo != null) lo = userLo;
        if (userHi != null) hi = userHi;
        if (lo > hi) return log ? new double[] {1, 10} : new double[] {0, 1};   // no data
        if (lo < hi) return new double[] {lo, hi};
        if (log) return new double[] {lo / 2, lo * 2};
        double d = lo == Math.rint(lo) ? 1 : lo == 0 ? 1 : Math.abs(lo) / 10;
        return new double[] {lo - d, lo + d};
    }

    /** Whether every x (or y) value of every series is a whole number (epochs, steps): its ticks then are too. */
    private boolean allWhole(boolean x) {
        for (XYSeries s : chart.getSeriesMap().values()) for (double v : x ? s.getXData() : s.getYData()) if (v != Math.rint(v)) return false;
        return true;
    }

    /** Writes several charts side by side, {@code cols} per row, as one PNG file. */
    public static Path saveGrid(Path file, int cols, List<Plot> plots) throws IOException {
        if (plots.isEmpty() || cols < 1) throw new IllegalArgumentException("Plot.saveGrid: need at least one plot and one column, got "
                + plots.size() + " plots, " + cols + " columns");
        int rows = (plots.size() + cols - 1) / cols;
        int w = plots.get(0).chart.getWidth(), h = plots.get(0).chart.getHeight();
        BufferedImage img = new BufferedImage(cols * w, rows * h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int i = 0; i < plots.size(); i++) {
            Graphics2D cell = (Graphics2D) g.create((i % cols) * w, (i / cols) * h, w, h);
            plots.get(i).paint(cell, w, h);
            cell.dispose();
        }
        g.dispose();
        return Images.save(img, file);
    }

    private XYSeries add(String name, double[] x, double[] y, XYSeries.XYSeriesRenderStyle style) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("Plot: series '" + name + "' has " + x.length + " x values but " + y.length + " y values");
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(style);
        return s;
    }

    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Writes through {@link AtomicFiles} (a temporary file beside it, renamed over it): a failure
     * leaves no half-written picture, and the file gets the mode a new file normally gets (0644
     * under the usual umask), not the 0600 of a temporary file.
     */
    static Path writeAtomically(Path file, Writer writer) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        AtomicFiles.write(file, channel -> writer.write(Channels.newOutputStream(channel)));
        return file;
    }
}
