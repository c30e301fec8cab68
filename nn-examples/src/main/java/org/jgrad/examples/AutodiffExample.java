package org.jgrad.examples;

import java.io.PrintStream;
import java.util.Locale;
import org.jgrad.core.Autograd;
import org.jgrad.core.Tensor;
import picocli.CommandLine.Command;

/**
 * The course's two worked autodiff examples, by machine: the forward trace, the reverse-mode
 * adjoints from jgrad's autograd (the intermediate ones too), the forward-mode directional
 * derivatives from dual numbers and from the library's {@link Autograd#jvp}, and the Jacobian
 * computed both ways by {@link Autograd#jacobian} with the number of passes each needs — and a
 * check that all of them agree.
 */
public final class AutodiffExample {

    private AutodiffExample() {}

    /** {@code autodiff} has no options. */
    @Command(name = "autodiff")
    static final class Options implements Cli.Job {
        @Override
        public Double run(PrintStream out) {
            return AutodiffExample.run(out);
        }
    }

    /** Runs both examples; returns the largest disagreement between the two modes. */
    public static double run(PrintStream out) {
        return Math.max(exampleOne(out), exampleTwo(out));
    }

    /** f(x) = (x1·x2·sin x3 + e^(x1·x2)) / x3 at (1, 2, π/2). */
    static double exampleOne(PrintStream out) {
        double[] at = {1, 2, Math.PI / 2};
        out.println("Example 1: f(x) = (x1*x2*sin(x3) + exp(x1*x2)) / x3 at (1, 2, pi/2)");
        Tensor x1 = Tensor.scalar((float) at[0]).requiresGrad();
        Tensor x2 = Tensor.scalar((float) at[1]).requiresGrad();
        Tensor x3 = Tensor.scalar((float) at[2]).requiresGrad();
        Tensor x4 = x1.mul(x2);
        Tensor x5 = x3.sin();
        Tensor x6 = x4.exp();
        Tensor x7 = x4.mul(x5);
        Tensor x8 = x7.add(x6);
        Tensor x9 = x8.div(x3);
        String[] names = {"x4 = x1*x2", "x5 = sin x3", "x6 = exp x4", "x7 = x4*x5", "x8 = x7+x6", "x9 = x8/x3"};
        Tensor[] trace = {x4, x5, x6, x7, x8, x9};
        out.println("  forward trace:");
        for (int i = 0; i < trace.length; i++) out.printf(Locale.ROOT, "    %-12s = %10.6f%n", names[i], trace[i].item());
        // the intermediate adjoints x̄8 … x̄4 (the lecture's x̄8 = x̄7 = x̄6 = 1/x3 = 2/π), keeping the graph for the inputs' pass
        Tensor[] inner = Autograd.grad(x9, null, true, x8, x7, x6, x5, x4);
        out.println("  reverse mode, adjoints of the intermediates:");
        for (int i = 0; i < inner.length; i++) out.printf(Locale.ROOT, "    adj x%d = %10.6f%n", 8 - i, inner[i].item());
        Tensor[] reverse = Autograd.grad(x9, x1, x2, x3);
        out.println("  reverse mode (adjoints of the inputs, one backward pass):");
        for (int i = 0; i < 3; i++) out.printf(Locale.ROOT, "    df/dx%d = %10.6f%n", i + 1, reverse[i].item());
        out.println("  forward mode (dual numbers, one pass per direction p = e1, e2, e3):");
        double worst = 0;
        for (int dir = 0; dir < 3; dir++) {
            Dual d1 = Dual.variable(at[0], dir == 0 ? 1 : 0);
            Dual d2 = Dual.variable(at[1], dir == 1 ? 1 : 0);
            Dual d3 = Dual.variable(at[2], dir == 2 ? 1 : 0);
            Dual d4 = d1.mul(d2);
            Dual d5 = d3.sin(), d6 = d4.exp(), d7 = d4.mul(d5), d8 = d7.add(d6);
            Dual f = d8.div(d3);
            if (dir == 0) {
                // the forward trace's tangents for p = e1, as the lecture lists them
                out.printf(Locale.ROOT, "    tangents for p = e1: x4' = %.6f  x5' = %.6f  x6' = %.6f  x7' = %.6f  x8' = %.6f%n",
                        d4.tangent(), d5.tangent(), d6.tangent(), d7.tangent(), d8.tangent());
            }
            out.printf(Locale.ROOT, "    D_e%d f = %10.6f%n", dir + 1, f.tangent());
            worst = Math.max(worst, Math.abs(f.tangent() - reverse[dir].item()));
        }
        out.println("  forward mode in the library (Autograd.jvp, tangents through every op, one pass per direction):");
        Tensor[] primals = {Tensor.scalar((float) at[0]), Tensor.scalar((float) at[1]), Tensor.scalar((float) at[2])};
        for (int dir = 0; dir < 3; dir++) {
            Tensor[] direction = {Tensor.scalar(dir == 0 ? 1 : 0), Tensor.scalar(dir == 1 ? 1 : 0), Tensor.scalar(dir == 2 ? 1 : 0)};
            float tangent = Autograd.jvp(x -> x[0].mul(x[1]).mul(x[2].sin()).add(x[0].mul(x[1]).exp()).div(x[2]), primals,
                    direction)[1].item();
            out.printf(Locale.ROOT, "    jvp e%d    = %10.6f%n", dir + 1, tangent);
            worst = Math.max(worst, Math.abs(tangent - reverse[dir].item()));
        }
        double e2 = Math.exp(2), pi = Math.PI;
        out.printf(Locale.ROOT, "  by hand: ((4+4e^2)/pi, (2+2e^2)/pi, (-8-4e^2)/pi^2) = (%.6f, %.6f, %.6f)%n",
                (4 + 4 * e2) / pi, (2 + 2 * e2) / pi, (-8 - 4 * e2) / (pi * pi));
        out.printf(Locale.ROOT, "  modes agree to %.2e%n%n", worst);
        return worst;
    }

    /** y1 = sin(x1·x2), y2 = x1·x2 + log x2 at (2, 3). */
    static double exampleTwo(PrintStream out) {
        out.println("Example 2: y1 = sin(x1*x2), y2 = x1*x2 + log(x2) at (2, 3)");
        Tensor x1 = Tensor.scalar(2f).requiresGrad(), x2 = Tensor.scalar(3f).requiresGrad();
        Tensor p = x1.mul(x2);
        Tensor y1 = p.sin(), y2 = p.add(x2.log());
        out.printf(Locale.ROOT, "  y1 = %.6f, y2 = %.6f%n", y1.item(), y2.item());
        // y1 and y2 share x1·x2: keep the graph after the first pass so the second can go through it
        Tensor[] g1 = Autograd.grad(y1, null, true, x1, x2), g2 = Autograd.grad(y2, x1, x2);
        out.println("  reverse mode, one pass per output (rows of the Jacobian):");
        out.printf(Locale.ROOT, "    dy1/dx = (%.6f, %.6f)   [3 cos 6, 2 cos 6]%n", g1[0].item(), g1[1].item());
        out.printf(Locale.ROOT, "    dy2/dx = (%.6f, %.6f)%n", g2[0].item(), g2[1].item());
        out.println("  forward mode, one pass per input direction (columns of the Jacobian):");
        double worst = 0;
        for (int dir = 0; dir < 2; dir++) {
            Dual d1 = Dual.variable(2, dir == 0 ? 1 : 0), d2 = Dual.variable(3, dir == 1 ? 1 : 0);
            Dual dp = d1.mul(d2);
            Dual z1 = dp.sin(), z2 = dp.add(d2.log());
            out.printf(Locale.ROOT, "    D_e%d y = (%.6f, %.6f)%n", dir + 1, z1.tangent(), z2.tangent());
            worst = Math.max(worst, Math.abs(z1.tangent() - g1[dir].item()));
            worst = Math.max(worst, Math.abs(z2.tangent() - g2[dir].item()));
        }
        // the whole Jacobian by each sweep: n = 2 inputs, m = 2 outputs, so each takes 2 passes here;
        // for f: R^n -> R^m forward mode needs n passes and reverse mode m
        java.util.function.Function<Tensor, Tensor> f = x -> {
            Tensor prod = x.narrow(0, 0, 1).mul(x.narrow(0, 1, 1));
            return Tensor.cat(0, prod.sin(), prod.add(x.narrow(0, 1, 1).log()));
        };
        Tensor at = Tensor.of(new float[] {2, 3});
        for (Autograd.Sweep sweep : new Autograd.Sweep[] {Autograd.Sweep.FORWARD, Autograd.Sweep.REVERSE}) {
            float[] j = Autograd.jacobian(f, at, sweep).toArray();
            out.printf(Locale.ROOT, "  Autograd.jacobian, %s mode (%d passes): [[%.6f, %.6f], [%.6f, %.6f]]%n",
                    sweep.name().toLowerCase(Locale.ROOT), 2, j[0], j[1], j[2], j[3]);
            float[] byRows = {g1[0].item(), g1[1].item(), g2[0].item(), g2[1].item()};
            for (int i = 0; i < 4; i++) worst = Math.max(worst, Math.abs(j[i] - byRows[i]));
        }
        out.printf(Locale.ROOT, "  modes agree to %.2e%n", worst);
        return worst;
    }
}
