package org.jgrad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.jgrad.core.Tensor;
import org.jgrad.nn.ReLU;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepresentationExampleTest {

    @TempDir
    Path dir;

    private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+\\.\\d+");

    /** The numbers on the printed line that starts with {@code prefix}. */
    static double[] numbers(String text, String prefix) {
        String line = text.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with '" + prefix + "' in:\n" + text));
        Matcher m = NUMBER.matcher(line.substring(prefix.length()));
        return m.results().mapToDouble(r -> Double.parseDouble(r.group())).toArray();
    }

    static double[][] square(double[] v) {
        return new double[][] {{v[0], v[1]}, {v[2], v[3]}};
    }

    @Test
    void thePrintedSvdRebuildsTheLayerAndReluAndTanhAreMeasured() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        var r = RepresentationExample.main(new String[] {"--out", dir.toString()}, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String text = buf.toString(StandardCharsets.UTF_8);

        // the printed factors, read back from the text, multiply to the printed Θ (nine decimals printed)
        double[] thetaAndB = numbers(text, "  Theta = ");
        double[][] theta = square(thetaAndB);
        double[][] u = square(numbers(text, "  U = ")), v = square(numbers(text, "  V = "));
        double[] s = numbers(text, "  S = ");
        assertThat(s).hasSize(2);
        assertThat(s[0]).isGreaterThanOrEqualTo(s[1]).isGreaterThan(1);   // trained past the initialisation's scale
        assertThat(s[1]).isPositive();
        double[][] back = SvdTest.times(SvdTest.times(u, new double[][] {{s[0], 0}, {0, s[1]}}), Svd.transpose(v));
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                assertThat(back[i][j]).as("U·S·Vᵀ [%d][%d]", i, j).isCloseTo(theta[i][j], offset(1e-8));
                assertThat(theta[i][j]).isCloseTo(r.theta()[i][j], offset(1e-9));
            }
        }
        assertThat(r.reconstructionError()).isLessThan(1e-12 * SvdTest.frobenius(r.theta()));
        SvdTest.assertOrthonormalColumns(r.svd().u(), "U");
        SvdTest.assertOrthonormalColumns(r.svd().v(), "V");
        // V was made a rotation; U reflects exactly when det Θ is negative
        assertThat(RepresentationExample.det(v)).isCloseTo(1, offset(1e-8));
        assertThat(RepresentationExample.det(u)).isCloseTo(Math.signum(RepresentationExample.det(theta)), offset(1e-8));
        assertThat(r.angleV()).isCloseTo(Math.toDegrees(Math.atan2(v[1][0], v[0][0])), offset(1e-6));
        // |det Θ| = σ1·σ2
        assertThat(s[0] * s[1]).isCloseTo(Math.abs(RepresentationExample.det(theta)), offset(1e-7));

        // the folding, counted again: the test's own 11 x 11 crossings through jgrad's ReLU module (float)
        int n = 11;
        float[] z = new float[n * n * 2];
        double[] b = r.bias();
        double maxTanh = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double x1 = -1 + 0.2 * j, x2 = -1 + 0.2 * i;
                double z1 = r.theta()[0][0] * x1 + r.theta()[0][1] * x2 + b[0], z2 = r.theta()[1][0] * x1 + r.theta()[1][1] * x2 + b[1];
                z[2 * (i * n + j)] = (float) z1;
                z[2 * (i * n + j) + 1] = (float) z2;
                double t1 = Math.tanh(z1), t2 = Math.tanh(z2);
                assertThat(Math.abs(t1)).isLessThan(1);
                assertThat(Math.abs(t2)).isLessThan(1);
                maxTanh = Math.max(maxTanh, Math.max(Math.abs(t1), Math.abs(t2)));
            }
        }
        float[] h = new ReLU().forward(Tensor.of(z, n * n, 2)).toArray();
        int[] counts = new int[4];
        for (int k = 0; k < n * n; k++) {
            boolean zero1 = h[2 * k] == 0, zero2 = h[2 * k + 1] == 0;
            counts[zero1 && zero2 ? 3 : zero1 ? 1 : zero2 ? 2 : 0]++;
        }
        assertThat(new int[] {r.kept(), r.ontoH2Axis(), r.ontoH1Axis(), r.ontoOrigin()}).containsExactly(counts);
        assertThat(counts[1]).isPositive();   // every kind of fold happens at the defaults
        assertThat(counts[2]).isPositive();
        assertThat(counts[3]).isPositive();
        assertThat(counts[0]).isPositive();
        assertThat(text).contains(String.format(java.util.Locale.ROOT, "%d of %d points stay in the open quadrant, %d land on the h2 axis",
                counts[0], n * n, counts[1]));
        // tanh stays inside (−1, 1) but saturates: the largest |tanh| is the corners' value, near 1
        assertThat(r.maxTanh()).isEqualTo(maxTanh).isLessThan(1).isGreaterThan(0.99);
        // the README's figures for the default run (50 Adam steps, seed 1)
        assertThat(n * n - counts[0]).isEqualTo(89);
        assertThat(r.maxTanh()).isCloseTo(0.9956, offset(5e-5));

        // the drawn linear stages compose to the layer: U·S·Vᵀx = Θx, and Vᵀ keeps lengths
        for (double[] p : RepresentationExample.lattice(n)) {
            double[] a = RepresentationExample.stage(3, r.theta(), b, r.svd()).apply(p);
            double[] c = RepresentationExample.stage(4, r.theta(), b, r.svd()).apply(p);
            assertThat(a[0] + b[0]).isCloseTo(c[0], offset(1e-12));
            assertThat(a[1] + b[1]).isCloseTo(c[1], offset(1e-12));
            double[] q = RepresentationExample.stage(1, r.theta(), b, r.svd()).apply(p);
            assertThat(Math.hypot(q[0], q[1])).isCloseTo(Math.hypot(p[0], p[1]), offset(1e-12));
        }

        // the PNG: 4 x 2 panels, each framed, the seven drawing panels with coloured lines in them
        assertThat(r.file()).exists();
        BufferedImage img = ImageIO.read(r.file().toFile());
        int panel = RepresentationExample.PANEL, gap = RepresentationExample.GAP;
        assertThat(img.getWidth()).isEqualTo(4 * panel + 5 * gap);
        assertThat(img.getHeight()).isEqualTo(RepresentationExample.TITLE + 2 * (RepresentationExample.CAPTION + panel + gap));
        for (int p = 0; p < 8; p++) {
            int x0 = RepresentationExample.left(p), y0 = RepresentationExample.top(p);
            assertThat(img.getRGB(x0, y0 + panel / 3) & 0xFFFFFF).as("panel %d left frame", p).isEqualTo(0x404040);
            assertThat(img.getRGB(x0 + panel - 1, y0 + panel / 3) & 0xFFFFFF).as("panel %d right frame", p).isEqualTo(0x404040);
            assertThat(img.getRGB(x0 - 1, y0 + panel / 3) & 0xFFFFFF).as("gap left of panel %d", p).isEqualTo(0xFFFFFF);
            int coloured = 0;
            for (int y = y0 + 1; y < y0 + panel - 1; y++) {
                for (int x = x0 + 1; x < x0 + panel - 1; x++) {
                    int rgb = img.getRGB(x, y), red = rgb >> 16 & 255, green = rgb >> 8 & 255, blue = rgb & 255;
                    if (Math.max(red, Math.max(green, blue)) - Math.min(red, Math.min(green, blue)) > 60) coloured++;
                }
            }
            if (p < 7) assertThat(coloured).as("coloured pixels in panel %d", p).isGreaterThan(1000);
            else assertThat(coloured).as("the text panel has no grid").isZero();
        }

        assertThat(text).contains("||Theta - U*diag(S)*V^T|| = ", "V is a rotation by", "ReLU(Theta x + b) folds:",
                "tanh(Theta x + b) squashes: largest |tanh| = ", "grid: 11 x 11 lines over [-1, 1]^2, 121 crossing points",
                "wrote " + r.file());
    }

    @Test
    void anUntrainedLayerWithNegativeDeterminantNeedsAReflection() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        var r = RepresentationExample.main(new String[] {"--out", dir.toString(), "--epochs", "0", "--lines", "5"},
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        String text = buf.toString(StandardCharsets.UTF_8);
        assertThat(RepresentationExample.det(r.theta())).isNegative();
        assertThat(r.reflectU()).isTrue();
        assertThat(RepresentationExample.det(r.svd().u())).isCloseTo(-1, offset(1e-12));
        assertThat(RepresentationExample.det(r.svd().v())).isCloseTo(1, offset(1e-12));
        assertThat(text).contains("det U = -1, a reflection", "25 crossing points");
        // a fresh layer is small: tanh stays far from saturation
        assertThat(r.maxTanh()).isLessThan(0.9);
        assertThat(r.kept() + r.ontoH1Axis() + r.ontoH2Axis() + r.ontoOrigin()).isEqualTo(25);
    }

    @Test
    void rotationFirstMovesTheReflectionIntoU() {
        // Θ = diag(1, −1)·diag(3, 1): one reflection, which an SVD may put on either side
        Svd d = RepresentationExample.rotationFirst(Svd.of(new double[][] {{3, 0}, {0, -1}}));
        assertThat(RepresentationExample.det(d.v())).isCloseTo(1, offset(1e-15));
        assertThat(RepresentationExample.det(d.u())).isCloseTo(-1, offset(1e-15));
        double[][] back = d.reconstruct();
        assertThat(back[0][0]).isCloseTo(3, offset(1e-15));
        assertThat(back[1][1]).isCloseTo(-1, offset(1e-15));
    }

    @Test
    void isRegisteredAndRefusesBadOptions() throws Exception {
        assertThat(Main.EXAMPLES).containsKey("representation");
        var help = new ByteArrayOutputStream();
        assertThat(Main.run(new String[] {"representation", "--help"}, new PrintStream(help, true, StandardCharsets.UTF_8), System.err)).isZero();
        assertThat(help.toString(StandardCharsets.UTF_8)).contains("--out=DIR", "--epochs=N", "--lines=N", "--seed=S");
        var out = new PrintStream(new ByteArrayOutputStream());
        assertThatThrownBy(() -> RepresentationExample.main(new String[] {"--lines", "1", "--out", dir.toString()}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("representation: --lines must be between 2 and 101, got 1");
        assertThatThrownBy(() -> RepresentationExample.main(new String[] {"--epochs", "-1", "--out", dir.toString()}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("representation: --epochs must be at least 0, got -1");
        assertThatThrownBy(() -> RepresentationExample.main(new String[] {"--hidden", "3"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("representation: unknown option '--hidden'");
    }
}
