package org.jgrad.examples.plot;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jgrad.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
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

    /** Adds a curve through the points (x[i], y[i]), without markers. */
    public Plot line(String name, double[] x, double[] y) {
        add(name, x, y, XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.NONE);
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
        return writeAtomically(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }

    /** Writes several charts side by side, {@code cols} per row, as one PNG file. */
    public static Path saveGrid(Path file, int cols, List<Plot> plots) throws IOException {
        if (plots.isEmpty() || cols < 1) throw new IllegalArgumentException("Plot.saveGrid: need at least one plot and one column, got "
                + plots.size() + " plots, " + cols + " columns");
        int rows = (plots.size() + cols - 1) / cols;
        List<XYChart> charts = new ArrayList<>();
        for (Plot p : plots) charts.add(p.chart);
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(
                cols * charts.get(0).getWidth(), rows * charts.get(0).getHeight(), java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int i = 0; i < charts.size(); i++) {
            XYChart c = charts.get(i);
            java.awt.Graphics2D cell = (java.awt.Graphics2D) g.create((i % cols) * c.getWidth(), (i / cols) * c.getHeight(),
                    c.getWidth(), c.getHeight());
            c.paint(cell, c.getWidth(), c.getHeight());
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
