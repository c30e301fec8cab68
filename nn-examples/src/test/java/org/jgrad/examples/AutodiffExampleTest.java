package org.jgrad.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AutodiffExampleTest {

    @Test
    void reverseAndForwardModeAgreeAndMatchTheHandDerivation() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        double worst = AutodiffExample.run(new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(worst).isLessThan(1e-5);
        assertThat(out).contains("df/dx1 =  10.6812", "df/dx3 =  -3.8052", "x6 = exp x4  =   7.389056");
        assertThat(out).contains("dy1/dx = (" + String.format(java.util.Locale.ROOT, "%.6f", 3 * Math.cos(6)).substring(0, 6));
        // the lecture's intermediate adjoints: x̄8 = x̄7 = x̄6 = 1/x3 = 2/π
        String twoOverPi = String.format(java.util.Locale.ROOT, "%10.6f", 2 / Math.PI);
        assertThat(out).contains("adj x8 = " + twoOverPi, "adj x7 = " + twoOverPi, "adj x6 = " + twoOverPi);
        assertThat(out).contains("jvp e1    =  10.6812", "jvp e3    =  -3.8052");
        // p = e1 at (1, 2, π/2): x4' = x2 = 2, x5' = 0, x6' = e²·2, x7' = x4'·sin x3 = 2, x8' = 2 + 2e²
        double e2 = Math.exp(2);
        assertThat(out).contains(String.format(java.util.Locale.ROOT,
                "tangents for p = e1: x4' = 2.000000  x5' = 0.000000  x6' = %.6f  x7' = 2.000000  x8' = %.6f", 2 * e2, 2 + 2 * e2));
        assertThat(out).contains("Autograd.jacobian, forward mode (2 passes): [[2.880511", "Autograd.jacobian, reverse mode (2 passes): [[2.880511");
    }

    @Test
    void dualNumbersFollowTheChainRule() {
        Dual x = Dual.variable(0.5, 1);
        Dual y = x.mul(x).sin().exp().div(x).log();
        // d/dx log(e^{sin x²}/x) = 2x cos x² − 1/x
        assertThat(y.tangent()).isCloseTo(2 * 0.5 * Math.cos(0.25) - 2, org.assertj.core.data.Offset.offset(1e-12));
    }
}
