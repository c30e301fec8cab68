package org.jgrad.examples.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class PlotTest {

    @TempDir
    Path dir;

    /** Reads a PNG back and checks its size: what every example test asks of its pictures. */
    public static BufferedImage png(Path file, int width, int height) throws IOException {
        assertThat(file).exists();
        BufferedImage img = ImageIO.read(file.toFile());
        assertThat(img).as("%s is a readable image", file).isNotNull();
        assertThat(img.getWidth()).as("width of %s", file).isEqualTo(width);
        assertThat(img.getHeight()).as("height of %s", file).isEqualTo(height);
        return img;
    }

    @Test
    void lineChartIsAPngOfTheChosenSize() throws IOException {
        double[] x = {0, 1, 2, 3}, y = {0, 1, 4, 9};
        Path f = Plot.of("squares", "x", "y", 400, 300).line("x²", x, y).points("samples", x, y).save(dir.resolve("a/sq.png"));
        BufferedImage img = png(f, 400, 300);
        assertThat(distinctColours(img)).as("something is drawn").isGreaterThan(3);
        try (var files = Files.list(dir.resolve("a"))) {
            assertThat(files).containsExactly(f);   // no temporary file left behind
        }
    }

    /**
     * A one-epoch curve shows: its lone point gets a marker, drawn in the series colour; and drawing
     * leaves the chart's own settings as they were (XChart alone, as Display uses it, still draws its
     * ticks over the data's range).
     */
    @Test
    void aOnePointCurveIsADotAndPaintingRestoresTheChart() throws IOException {
        Plot p = Plot.of("one epoch", "epoch", "loss", 400, 300).line("train", new double[] {1}, new double[] {0.4028});
        var series = p.chart().getSeriesMap().get("train");
        assertThat(series.getMarker()).isNotEqualTo(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        p.chart().getStyler().setMarkerSize(12).setLegendVisible(false);   // the legend would show the colour too
        series.setMarkerColor(new java.awt.Color(0, 0, 255));   // pure blue: no other part of the chart has a blue cast
        BufferedImage img = p.toImage();
        int dot = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) if ((img.getRGB(x, y) & 0xFF) - (img.getRGB(x, y) >> 16 & 0xFF) > 150) dot++;
        }
        assertThat(dot).as("pixels of the 12-pixel dot").isGreaterThan(60);
        var st = p.chart().getStyler();
        assertThat(st.getXAxisMin()).isNull();
        assertThat(st.getYAxisMax()).isNull();
        assertThat(st.isXAxisTicksVisible() && st.isYAxisTitleVisible() && st.isPlotGridLinesVisible()).isTrue();
    }

    /** A picture gets the mode of any new file here (0644 under the usual umask), not a temporary file's 0600. */
    @Test
    void picturesAreReadableLikeAnyNewFile() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path f = Plot.of("p", "x", "y", 100, 80).line("l", new double[] {0, 1}, new double[] {0, 1}).save(dir.resolve("p.png"));
        Path plain = Files.createFile(dir.resolve("plain"));
        assertThat(Files.getPosixFilePermissions(f)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void gridPutsChartsSideBySide() throws IOException {
        double[] x = {0, 1}, y = {1, 2};
        var plots = List.of(Plot.of("a", "x", "y", 200, 150).line("a", x, y), Plot.of("b", "x", "y", 200, 150).line("b", x, y),
                Plot.of("c", "x", "y", 200, 150).line("c", x, y));
        png(Plot.saveGrid(dir.resolve("g.png"), 2, plots), 400, 300);
    }

    @Test
    void imageGridScalesEachImageToItsRange() throws IOException {
        float[] ramp = {0, 1, 2, 3}, flat = {5, 5, 5, 5};
        Path f = Images.grid(dir.resolve("i.png"), List.of(ramp, flat), 2, 2, 2, 10, null);
        BufferedImage img = png(f, 4 + 2 * (20 + 4), 4 + 20 + 4);
        assertThat(img.getRGB(4, 4) & 0xFF).isEqualTo(0);                 // the minimum is black
        assertThat(img.getRGB(4 + 15, 4 + 15) & 0xFF).isEqualTo(255);     // the maximum is white
        assertThat(img.getRGB(4 + 24 + 5, 4 + 5) & 0xFF).isEqualTo(128);  // a constant image is grey
    }

    /** Under each image a bar from black (its min) to white (its max), zero marked in red a quarter of the way for [-1, 3]. */
    @Test
    void gridWithScalesDrawsEachImagesBarAndItsZero() throws IOException {
        float[] ramp = {-1, 0, 1, 3}, positive = {1, 2, 3, 4};
        int scale = 21, side = 2 * scale;   // 42-pixel images: the bar's pixel i is grey 255·i/41
        Path f = Images.gridWithScales(dir.resolve("s.png"), null, List.of(ramp, positive), 2, 2, 2, scale, null);
        BufferedImage img = png(f, 4 + 2 * (side + 4), 4 + side + 4 + Images.SCALE_BAND);
        int barY = 4 + side + 4;
        assertThat(img.getRGB(5, barY) & 0xFFFFFF).as("min end").isEqualTo(0x000000 + (6 << 16 | 6 << 8 | 6));
        assertThat(img.getRGB(4 + side - 2, barY) & 0xFF).as("max end").isGreaterThan(240);
        int zero = 4 + Math.round((side - 1) * 0.25f);
        assertThat(img.getRGB(zero, barY) & 0xFFFFFF).as("zero of [-1, 3]").isEqualTo(Images.ZERO_MARK.getRGB() & 0xFFFFFF);
        for (int x = 4 + side + 4; x < 4 + 2 * side + 4; x++) {
            assertThat(img.getRGB(x, barY) & 0xFFFFFF).as("no zero on [1, 4]").isNotEqualTo(Images.ZERO_MARK.getRGB() & 0xFFFFFF);
        }
        assertThat(Images.scaleLabel(-0.12345f)).isEqualTo("-0.12");
        assertThat(Images.scaleLabel(3f)).isEqualTo("3");
        assertThat(Images.scaleLabel(2.5e-5f)).isEqualTo("2.5e-05");
    }

    @Test
    void matrixAndRegionsAreWritten() throws IOException {
        Path m = Images.matrix(dir.resolve("m.png"), "confusion", new long[][] {{5, 1}, {0, 7}}, new String[] {"a", "b"},
                new String[] {"a", "b"}, "true", "predicted");
        assertThat(ImageIO.read(m.toFile())).isNotNull();
        Path r = Images.regions(dir.resolve("r.png"), "regions", new int[] {0, 1, 2, 0}, 2, 2, new double[] {0}, new double[] {0},
                new int[] {1});
        png(r, 2, 30);
    }

    /** Cells of kind k are a pale tint of PALETTE[k] (0x4E79A7 → (196, 210, 225)), kind −1 white; tables stack downwards. */
    @Test
    void cellsAreColouredByKind() throws IOException {
        var t = new Images.Cells("t", new String[] {"r0"}, new String[] {"a", "b"}, new String[][] {{"1", "0"}}, new int[][] {{0, -1}});
        BufferedImage img = png(Images.cells(dir.resolve("c.png"), "cells", List.of(t, t)), 50 + 2 * 40 + 20,
                Images.TITLE_BAND + 10 + 2 * (44 + 40));
        int top = Images.TITLE_BAND + 44;
        assertThat(img.getRGB(53, top + 3) & 0xFFFFFF).isEqualTo(196 << 16 | 210 << 8 | 225);
        assertThat(img.getRGB(93, top + 3) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        assertThat(img.getRGB(53, top + 84 + 3) & 0xFFFFFF).as("the second table").isEqualTo(196 << 16 | 210 << 8 | 225);
    }

    @Test
    void badInputIsRefusedWithTheReason() {
        assertThatThrownBy(() -> Plot.of("t", "x", "y").line("s", new double[2], new double[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("series 's' has 2 x values but 3 y values");
        assertThatThrownBy(() -> Images.grid(dir.resolve("x.png"), List.of(new float[3]), 2, 2, 1, 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("image 0 has 3 values, expected 2×2");
        assertThat(dir.resolve("x.png")).doesNotExist();
    }

    private static long distinctColours(BufferedImage img) {
        java.util.Set<Integer> c = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) for (int x = 0; x < img.getWidth(); x += 3) c.add(img.getRGB(x, y));
        return c.size();
    }
}
