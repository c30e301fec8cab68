package org.jgrad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jgrad.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivationsExampleTest {

    @TempDir
    Path dir;

    @Test
    void autogradDerivativesMatchTheClosedForms() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        // 17 points: x = −4, −3.5, ..., 4, so 0 and ±2 are grid points
        var r = ActivationsExample.main(new String[] {"--out", dir.toString(), "--points", "17"},
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertThat(r.derivatives()).containsOnlyKeys("sigmoid", "tanh", "ReLU", "leaky ReLU", "ELU", "SELU", "softplus",
                "swish (SiLU)", "mish", "GELU");
        r.maxError().forEach((name, err) -> assertThat(err).as(name).isLessThan(1e-5));

        // a few values by hand, independent of the example's own closed forms
        int m2 = index(r.x(), -2), zero = index(r.x(), 0), p2 = index(r.x(), 2);
        double s2 = 1 / (1 + Math.exp(-2));
        assertThat(r.derivatives().get("sigmoid")[zero]).isCloseTo(0.25, offset(1e-6));
        assertThat(r.derivatives().get("sigmoid")[p2]).isCloseTo(s2 * (1 - s2), offset(1e-6));
        assertThat(r.derivatives().get("tanh")[zero]).isCloseTo(1, offset(1e-6));
        assertThat(r.derivatives().get("tanh")[m2]).isCloseTo(1 - Math.pow(Math.tanh(-2), 2), offset(1e-6));
        assertThat(r.derivatives().get("ReLU")[m2]).isEqualTo(0);
        assertThat(r.derivatives().get("ReLU")[p2]).isEqualTo(1);
        assertThat(r.derivatives().get("leaky ReLU")[m2]).isCloseTo(0.01, offset(1e-7));
        assertThat(r.derivatives().get("softplus")[p2]).isCloseTo(s2, offset(1e-6));          // softplus' = σ
        assertThat(r.derivatives().get("ELU")[m2]).isCloseTo(Math.exp(-2), offset(1e-6));     // α·eˣ, α = 1
        assertThat(r.derivatives().get("SELU")[p2]).isCloseTo(1.0507009873554805, offset(1e-6));
        assertThat(r.derivatives().get("swish (SiLU)")[zero]).isCloseTo(0.5, offset(1e-6));
        assertThat(r.derivatives().get("mish")[zero]).isCloseTo(Math.tanh(Math.log(2)), offset(1e-6));   // tanh(softplus 0) = 0.6
        assertThat(r.derivatives().get("GELU")[zero]).isCloseTo(0.5, offset(1e-6));          // Φ(0)
        assertThat(r.values().get("GELU")[p2]).isCloseTo(2 * 0.9772498680518208, offset(1e-5));   // 2·Φ(2)

        assertThat(r.files()).hasSize(1);
        PlotTest.png(r.files().get(0), 5 * 360, 2 * 300);
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("wrote " + r.files().get(0), "mish");
    }

    @Test
    void tanhIsARescaledSigmoidAndTheSoftmaxASoftArgmax() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        var r = ActivationsExample.main(new String[] {"--out", dir.toString()}, new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertThat(r.tanhIdentityError()).as("max |tanh z − (2σ(2z) − 1)|, float rounding only").isLessThan(1e-6);

        var s = r.softArgmax();
        assertThat(s.z()).containsExactly(1, 2, 3, 0.5);
        assertThat(s.alphas()).containsExactly(0.01, 1, 2, 5, 10, 50);
        int last = s.alphas().length - 1;
        for (int k = 0; k <= last; k++) {
            double[] p = s.softmax()[k];
            assertThat(p[0] + p[1] + p[2] + p[3]).isCloseTo(1, offset(1e-6));
            assertThat(p[2]).as("α = %s: the argmax of z keeps the largest probability", s.alphas()[k]).isEqualTo(max(p));
            if (k > 0) {
                // the one-hot gap falls (until float rounds it to 0) and S(αz)ᵀz rises
                double gap = s.oneHotGap()[k], before = s.oneHotGap()[k - 1];
                assertThat(gap < before || gap == 0).as("gap %s at α = %s after %s", gap, s.alphas()[k], before).isTrue();
                assertThat(s.expectedScore()[k]).as("S(αz)ᵀz at α = %s", s.alphas()[k]).isGreaterThanOrEqualTo(s.expectedScore()[k - 1]);
            }
        }
        assertThat(s.oneHotGap()[1]).isGreaterThan(s.oneHotGap()[4]).isGreaterThan(0);
        assertThat(s.oneHotGap()[last]).isLessThan(1e-6);
        assertThat(s.softmax()[last]).containsExactly(new double[] {0, 0, 1, 0}, offset(1e-6));
        assertThat(s.expectedScore()[last]).isCloseTo(3, offset(1e-3));                 // → max z
        // α → 0: uniform, and S(αz)ᵀz the mean of z, 1.625
        assertThat(s.softmax()[0]).containsExactly(new double[] {0.25, 0.25, 0.25, 0.25}, offset(0.01));
        assertThat(s.expectedScore()[0]).isCloseTo(1.625, offset(0.01));
        // α = 1 by hand: e^z / Σ e^z
        double sum = Math.exp(1) + Math.exp(2) + Math.exp(3) + Math.exp(0.5);
        assertThat(s.softmax()[1][2]).isCloseTo(Math.exp(3) / sum, offset(1e-6));

        String printed = buf.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("tanh z = 2σ(2z) − 1: largest |tanh z − (2σ(2z) − 1)| over the 161 grid points",
                "softmax S(α·z) of z = [1.0, 2.0, 3.0, 0.5] (max 3.0 at index 2)", "S(α·z)ᵀz → mean z = 1.625", "  50.00   [0.0000, 0.0000, 1.0000, 0.0000]");
    }

    private static double max(double[] v) {
        return java.util.Arrays.stream(v).max().orElseThrow();
    }

    @Test
    void badOptionsAreRefused() {
        var out = new PrintStream(new ByteArrayOutputStream());
        assertThatThrownBy(() -> ActivationsExample.main(new String[] {"--point", "9"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("activations: unknown option '--point'");
        assertThatThrownBy(() -> ActivationsExample.main(new String[] {"--points", "2", "--out", dir.toString()}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("activations: --points must be at least 3, got 2");
    }

    private static int index(double[] x, double v) {
        for (int i = 0; i < x.length; i++) if (x[i] == v) return i;
        throw new AssertionError(v + " is not a grid point");
    }
}
