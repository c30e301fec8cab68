package org.jgrad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FiltersExampleTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);

    private String[] args(String... more) {
        String[] a = new String[more.length + 2];
        a[0] = "--out";
        a[1] = dir.toString();
        System.arraycopy(more, 0, a, 2, more.length);
        return a;
    }

    /** The default picture: a Fashion-MNIST item and its 8 responses, 3 per row, 7 pixels per value, a title band on top. */
    @Test
    void filtersAFashionItemAndDrawsTheGrid() throws Exception {
        var r = FiltersExample.main(args("--index", "3"), out);
        assertThat(r.source()).isEqualTo("Fashion-MNIST test item 3 (Trouser)");
        assertThat(r.filtered()).hasSize(8);
        // README: identity, three edge detectors, sharpen, box and Gaussian blur, emboss
        assertThat(FiltersExample.FILTERS).extracting(FiltersExample.Filter::name).containsExactly("identity", "edge 1 (diagonal)",
                "edge 2 (Laplacian)", "edge 3 (all ways)", "sharpen", "box blur", "Gaussian blur", "emboss");
        assertThat(r.filtered().get(0)).as("identity").containsExactly(r.image());
        int cell = 28 * 7 + 4;
        org.jgrad.examples.plot.PlotTest.png(r.files().get(0), 3 * cell + 4, 3 * (cell + org.jgrad.examples.plot.Images.SCALE_BAND + 16) + 4 + org.jgrad.examples.plot.Images.TITLE_BAND);
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("edge 2 (Laplacian)", "[[0,1,0] [1,-4,1] [0,1,0]]",
                "1/16·[[1,2,1] [2,4,2] [1,2,1]]", "wrote " + r.files().get(0));
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("[[-2,-1,0] [-1,1,1] [0,1,2]]", FiltersExample.EMBOSS_NOTE);
    }

    /**
     * The emboss kernel's centre is 1 (lecture slides sometimes print 0): its weights sum to 1, so the
     * emboss of a constant image is that constant away from the border; with centre 0 it would be 0
     * (an edge map). A ramp comes out as the constant plus its slope: the relief.
     */
    @Test
    void embossKeepsAFlatRegionsBrightnessBecauseItsCentreIsOne() {
        var emboss = FiltersExample.filter("emboss");
        assertThat(emboss.kernel()[4]).as("the centre").isEqualTo(1f);
        double sum = 0;
        for (float v : emboss.kernel()) sum += v;
        assertThat(sum).as("the sum of the weights").isEqualTo(1.0);

        int h = 6, w = 7, index = FiltersExample.FILTERS.indexOf(emboss);
        float[] flat = new float[h * w];
        java.util.Arrays.fill(flat, 0.6f);
        float[] embossed = FiltersExample.apply(flat, h, w).get(index);
        for (int r = 1; r < h - 1; r++) for (int c = 1; c < w - 1; c++) {
            assertThat(embossed[r * w + c]).as("inside, at (%d, %d)", r, c).isCloseTo(0.6f, offset(1e-6f));
        }
        // with the centre printed as 0 the same image comes out black inside: an edge map
        float[] centreZero = emboss.kernel().clone();
        centreZero[4] = 0;
        float[] edges = org.jgrad.core.Functional.conv2d(org.jgrad.core.Tensor.of(flat.clone(), 1, 1, h, w),
                org.jgrad.core.Tensor.of(centreZero, 1, 1, 3, 3), null, 1, 1).toArray();
        for (int r = 1; r < h - 1; r++) for (int c = 1; c < w - 1; c++) assertThat(edges[r * w + c]).isCloseTo(0f, offset(1e-6f));

        // a left-to-right ramp v = 0.1·c comes out as itself plus the relief: the right column's
        // weights (0 + 1 + 2) see +0.1, the left column's (−2 − 1 + 0) see −0.1, so 0.6 is added
        float[] ramp = new float[h * w];
        for (int r = 0; r < h; r++) for (int c = 0; c < w; c++) ramp[r * w + c] = 0.1f * c;
        float[] relief = FiltersExample.apply(ramp, h, w).get(index);
        for (int r = 1; r < h - 1; r++) for (int c = 1; c < w - 1; c++) {
            assertThat(relief[r * w + c]).as("a ramp at (%d, %d)", r, c).isCloseTo(0.1f * c + 0.6f, offset(1e-5f));
        }
    }

    @Test
    void identityReturnsTheInputAndBoxBlurKeepsAConstantInside() {
        float[] img = new float[6 * 5];
        for (int i = 0; i < img.length; i++) img[i] = (i * 7 % 11) / 10f;
        assertThat(FiltersExample.apply(img, 6, 5).get(0)).containsExactly(img);

        float[] flat = new float[6 * 5];
        java.util.Arrays.fill(flat, 0.7f);
        float[] blurred = FiltersExample.apply(flat, 6, 5).get(FiltersExample.FILTERS.indexOf(FiltersExample.filter("box blur")));
        for (int r = 1; r < 5; r++) for (int c = 1; c < 4; c++) assertThat(blurred[r * 5 + c]).isCloseTo(0.7f, offset(1e-6f));
        assertThat(blurred[0]).as("a corner sees 4 of 9 taps (zero padding)").isCloseTo(0.7f * 4 / 9, offset(1e-6f));
    }

    /** A 40×30 PNG written here: pure red is grey 0.299, white 1; shrinking by 2 averages 2×2 blocks. */
    @Test
    void readsAUserImageAsGreyAndShrinksBigOnes() throws Exception {
        BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 30; y++) for (int x = 0; x < 40; x++) img.setRGB(x, y, (x < 20 ? Color.RED : Color.WHITE).getRGB());
        Path file = dir.resolve("small.png");
        ImageIO.write(img, "png", file.toFile());

        var r = FiltersExample.main(args("--image", file.toString()), out);
        assertThat(r.height()).isEqualTo(30);
        assertThat(r.width()).isEqualTo(40);
        assertThat(r.image()[0]).isCloseTo(0.299f, offset(1e-3f));
        assertThat(r.image()[39]).isCloseTo(1f, offset(1e-6f));
        int scale = 200 / 40;
        org.jgrad.examples.plot.PlotTest.png(r.files().get(0), 3 * (40 * scale + 4) + 4, 3 * (30 * scale + 4 + org.jgrad.examples.plot.Images.SCALE_BAND + 16) + 4 + org.jgrad.examples.plot.Images.TITLE_BAND);

        var small = FiltersExample.main(args("--image", file.toString(), "--max-side", "20"), out);
        assertThat(small.width()).isEqualTo(20);
        assertThat(small.height()).isEqualTo(15);
        assertThat(small.source()).contains("shrunk 2× from 40×30");
    }

    @Test
    void badInputIsRefusedNamingTheExampleAndTheValue() {
        Path missing = dir.resolve("no-such-picture.png");
        assertThatThrownBy(() -> FiltersExample.main(args("--image", missing.toString()), out))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("filters: image file " + missing + " does not exist");
        assertThatThrownBy(() -> FiltersExample.main(args("--index", "10000"), out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("filters: --index must be in 0..9999, got 10000");
        assertThatThrownBy(() -> FiltersExample.main(args("--bogus", "1"), out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("filters: unknown option '--bogus'");
        Path text = dir.resolve("notes.txt");
        assertThatThrownBy(() -> {
            java.nio.file.Files.writeString(text, "not an image");
            FiltersExample.main(args("--image", text.toString()), out);
        }).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("filters: cannot read " + text + " as an image");
    }
}
