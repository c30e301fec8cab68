package org.jgrad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jgrad.examples.plot.Images;
import org.jgrad.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvGeometryExampleTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);

    /** The lecture's numbers, each from conv1d, a Conv2d's output shape or a module's parameter count. */
    @Test
    void theLecturesNumbers() throws Exception {
        var r = ConvGeometryExample.main(new String[] {"--out", dir.toString()}, out);
        String printed = buf.toString(StandardCharsets.UTF_8);

        // W = 5, F = 3, P = 1 on x = [0, 1, 2, -1, 1] (padded [0, 0, 1, 2, -1, 1, 0]) with filter [1, 0, -1]
        assertThat(r.outputs()[0]).containsExactly(-1, -2, 2, 1, -1);
        assertThat(r.outputs()[1]).as("stride 2: (5 - 3 + 2)/2 + 1 = 3").containsExactly(-1, 2, -1);
        assertThat(r.outputs()[2]).as("stride 3: 4/3 + 1 floored, like PyTorch").containsExactly(-1, 1);
        assertThat(printed).contains("stride 1: (5 − 3 + 2)/1 + 1 = 5", "stride 2: (5 − 3 + 2)/2 + 1 = 3",
                "stride 3: (5 − 3 + 2)/3 + 1 = 2.33  conv1d: 2 outputs [-1, 1]",
                "warning: stride 3 does not tile the input: W − F + 2P = 4 is not a multiple of S = 3",
                "the last 1 position(s) of the padded input are under no window (padding only");
        assertThat(printed).doesNotContain("warning: stride 1", "warning: stride 2");

        assertThat(r.alexNetShape()).containsExactly(1, 96, 55, 55);
        assertThat(r.alexNetWeightsPerFilter()).isEqualTo(363);
        assertThat(r.alexNetParameters()).isEqualTo(34_944);
        assertThat(printed).contains("55×55×96", "363·96 + 96 = 34,944 parameters (numParameters 34,944)");

        assertThat(r.fieldWeights()).isEqualTo(75);
        assertThat(r.fieldParameters()).isEqualTo(76);
        assertThat(r.denseWeights()).isEqualTo(25);
        assertThat(r.convWeights()).isEqualTo(3);
    }

    /** M · [0, x, 0] is conv1d's output exactly; rows are the filter shifted by the stride. */
    @Test
    void theMatrixTimesThePaddedInputIsTheConvolution() throws Exception {
        var r = ConvGeometryExample.main(new String[] {"--out", dir.toString()}, out);
        assertThat(r.matrices()).hasSize(2);
        var s1 = r.matrices().get(0);
        assertThat(s1.matrix()).hasNumberOfRows(5);
        assertThat(s1.matrix()[0]).containsExactly(1, 0, -1, 0, 0, 0, 0);
        assertThat(s1.matrix()[4]).containsExactly(0, 0, 0, 0, 1, 0, -1);
        assertThat(s1.product()).containsExactly(s1.conv());
        var s2 = r.matrices().get(1);
        assertThat(s2.matrix()).hasNumberOfRows(3);
        assertThat(s2.matrix()[1]).containsExactly(0, 0, 1, 0, -1, 0, 0);
        assertThat(s2.product()).containsExactly(s2.conv()).containsExactly(r.outputs()[1]);

        float[] x = {3, -2, 5, 0.5f, 7, 1, -4, 2};
        float[] w = {2, -1, 0.25f};
        for (int s = 1; s <= 3; s++) {
            assertThat(ConvGeometryExample.times(ConvGeometryExample.matrix(x.length, w, s, 2), ConvGeometryExample.padded(x, 2)))
                    .as("stride " + s).containsExactly(ConvGeometryExample.conv1d(x, w, s, 2));
        }
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("M · [0, x, 0] = [-1, -2, 2, 1, -1], conv1d = [-1, -2, 2, 1, -1]: equal",
                "a dense layer from 5 inputs to 5 outputs learns 25 weights; the convolution 3");
    }

    @Test
    void drawsTheMatricesAsAReadablePng() throws Exception {
        var r = ConvGeometryExample.main(new String[] {"--out", dir.toString()}, out);
        Path png = r.files().get(0);
        assertThat(png).isEqualTo(dir.resolve("convgeometry.png"));
        // two tables of 7 columns (5 and 3 rows), 40 pixels a cell, 50 of row labels, 44 of caption and column labels each
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img).as("readable by ImageIO").isNotNull();
        PlotTest.png(png, 50 + 7 * 40 + 20, Images.TITLE_BAND + 10 + 2 * 44 + (5 + 3) * 40);
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("wrote " + png);
    }

    @Test
    void unknownOptionsAreRefused() {
        assertThatThrownBy(() -> ConvGeometryExample.main(new String[] {"--stride", "2"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("convgeometry: unknown option '--stride'");
    }
}
