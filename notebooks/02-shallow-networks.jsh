// ==========================================================================================
// Notebook 2 — Shallow neural networks in one dimension
//
// Open it with   notebooks/open.sh 02-shallow-networks
// A shallow network with one input x, D hidden ReLU units and one output y is
//     y = φ0 + Σ_d φd · relu(θd0 + θd1 · x)
// Every hidden unit is a "hinge" that switches on at x = −θd0/θd1 (its joint), so y is a
// piecewise-linear function with at most D joints, i.e. at most D + 1 linear regions.
// ==========================================================================================

import java.util.*;
import org.jgrad.core.*;
import org.jgrad.nn.*;
import org.jgrad.nn.Module;     // (java.lang.Module has the same simple name)
import org.jgrad.optim.*;
import org.jgrad.examples.plot.*;
// display(...) shows a figure inline in Jupyter; in JShell it prints the path of the PNG file
import static org.jgrad.examples.plot.Display.display;

boolean SMALL = Boolean.getBoolean("jgrad.small");

// plot(title, x, series...) draws curves as text, 64 columns by 16 rows: '*' is the first
// series, 'o' the second (where they overlap you see '*').
void plot(String title, float[] x, float[]... series) {
    int w = 64, h = 16;
    float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
    for (float[] s : series) for (float v : s) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    char[][] grid = new char[h][w];
    for (char[] r : grid) Arrays.fill(r, ' ');
    String marks = "*o+#";
    for (int k = series.length - 1; k >= 0; k--) {
        for (int i = 0; i < x.length; i++) {
            int c = Math.round((x[i] - x[0]) / (x[x.length - 1] - x[0]) * (w - 1));
            int r = Math.round((hi - series[k][i]) / Math.max(1e-6f, hi - lo) * (h - 1));
            grid[r][c] = marks.charAt(k);
        }
    }
    System.out.printf(Locale.ROOT, "%s   (y from %.2f to %.2f, x from %.2f to %.2f)%n", title, lo, hi, x[0], x[x.length - 1]);
    for (char[] r : grid) System.out.println("  |" + new String(r));
    System.out.println("  +" + "-".repeat(w));
}

// The same curves as a chart (Plot takes doubles): chart(...).save(file) writes a PNG.
double[] doubles(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) d[i] = v[i];
    return d;
}

// ------------------------------------------------------------------------------------------
// 1. Three hidden units, parameters set by hand.
//    Linear(1, 3) holds θ (weight [3, 1] = slopes θd1, bias [3] = offsets θd0);
//    Linear(3, 1) holds φ (weight [1, 3] = φ1..φ3, bias [1] = φ0).
// ------------------------------------------------------------------------------------------
var hidden = new Linear(1, 3);
var output = new Linear(3, 1);
var net = new Sequential(hidden, new ReLU(), output);
System.out.println(net);
// expect: \(0\): Linear\(1→3\)\n  \(1\): ReLU\(\)\n  \(2\): Linear\(3→1\)

float[] slopes = {1.0f, -1.0f, 2.0f};    // θd1
float[] offsets = {-0.5f, 1.0f, -3.0f};  // θd0: the joints are at 0.5, 1.0 and 1.5
float[] phi = {1.5f, -1.0f, -2.0f};      // φ1..φ3
System.arraycopy(slopes, 0, hidden.weight().data(), 0, 3);
System.arraycopy(offsets, 0, hidden.bias().data(), 0, 3);
System.arraycopy(phi, 0, output.weight().data(), 0, 3);
output.bias().data()[0] = 0.2f;          // φ0

// Evaluate on a grid of 201 points in [0, 2]: the input is a batch [201, 1].
var xs = Tensor.arange(0f, 2.005f, 0.01f);
var X = xs.reshape(xs.numel(), 1);
Tensor Y;
try (var off = GradMode.off()) { Y = net.forward(X); }
plot("y(x) of the hand-made network", xs.toArray(), Y.toArray());
// expect: \(y from -0\.80 to 1\.70, x from 0\.00 to 2\.00\)
display(Plot.of("y(x) of the hand-made network: three joints", "x", "y", 560, 360)
        .line("y", doubles(xs.toArray()), doubles(Y.toArray())).save(Display.file("02-network.png")));
// expect: figure: .*02-network\.png

// Each hidden unit on its own: relu(θd0 + θd1·x) is zero on one side of its joint.
Tensor H;
try (var off = GradMode.off()) { H = hidden.forward(X).relu(); }
for (int d = 0; d < 3; d++) {
    System.out.printf(Locale.ROOT, "unit %d: relu(%.1f + %.1f·x), joint at x = %.2f, weighted by φ = %.1f%n",
            d + 1, offsets[d], slopes[d], -offsets[d] / slopes[d], phi[d]);
}
// expect: unit 1: relu\(-0\.5 \+ 1\.0·x\), joint at x = 0\.50, weighted by φ = 1\.5
// expect: unit 3: relu\(-3\.0 \+ 2\.0·x\), joint at x = 1\.50, weighted by φ = -2\.0
plot("hidden units h1 (*), h2 (o), h3 (+)", xs.toArray(),
        H.narrow(1, 0, 1).toArray(), H.narrow(1, 1, 1).toArray(), H.narrow(1, 2, 1).toArray());

// ------------------------------------------------------------------------------------------
// 2. The joints, found from the output alone: where the slope between grid points changes.
//    In each region the slope is Σ φd·θd1 over the ACTIVE units.
// ------------------------------------------------------------------------------------------
float[] xv = xs.toArray(), yv = Y.toArray();
double previous = Double.NaN;
for (int i = 0; i + 1 < xv.length; i++) {
    double slope = (yv[i + 1] - yv[i]) / (xv[i + 1] - xv[i]);
    if (Double.isNaN(previous) || Math.abs(slope - previous) > 1e-3) {
        System.out.printf(Locale.ROOT, "from x = %.2f the slope is %6.3f%n", xv[i], slope);
    }
    previous = slope;
}
// expect: \Afrom x = 0\.00 the slope is  1\.000\nfrom x = 0\.50 the slope is  2\.500\nfrom x = 1\.00 the slope is  1\.500\nfrom x = 1\.50 the slope is -2\.500\n\z

// The same slopes from the parameters: unit d is active where θd0 + θd1·x > 0.
for (float at : new float[] {0.25f, 0.75f, 1.25f, 1.75f}) {
    double s = 0;
    StringBuilder active = new StringBuilder();
    for (int d = 0; d < 3; d++) {
        if (offsets[d] + slopes[d] * at > 0) {
            s += phi[d] * slopes[d];
            active.append(" h").append(d + 1);
        }
    }
    System.out.printf(Locale.ROOT, "at x = %.2f active:%-9s slope Σ φd·θd1 = %6.3f%n", at, active, s);
}
// expect: at x = 0\.75 active: h1 h2    slope Σ φd·θd1 =  2\.500
// expect: at x = 1\.75 active: h1 h3    slope Σ φd·θd1 = -2\.500

// ------------------------------------------------------------------------------------------
// 3. Learning the parameters instead: fit y = sin(2x) + noise on [0, π] with D hidden units.
//    More units allow more joints, so the fit gets closer (the universal approximation idea).
// ------------------------------------------------------------------------------------------
var rng = new SplittableRandom(3);
int n = 64;
float[] px = new float[n], py = new float[n];
for (int i = 0; i < n; i++) {
    px[i] = (float) (Math.PI * i / (n - 1));
    py[i] = (float) (Math.sin(2 * px[i]) + 0.05 * rng.nextGaussian());
}
var dataX = Tensor.of(px, n, 1);
var dataY = Tensor.of(py, n, 1);

int steps = SMALL ? 300 : 3000;

// Full-batch training with Adam and the mean squared error; returns the trained network.
// It starts with every joint inside the data: slope ±1 and a joint at a random point of
// [0, π]. (With the default init many joints fall outside [0, π]: those units are then
// straight lines, or always off, over the whole data, and the fit has fewer pieces.)
Sequential fit(int units, int steps) {
    var r = new SplittableRandom(1);
    var first = new Linear(1, units, r);
    for (int d = 0; d < units; d++) {
        float slope = r.nextBoolean() ? 1f : -1f;
        first.weight().data()[d] = slope;
        first.bias().data()[d] = (float) (-slope * r.nextDouble(0, Math.PI));
    }
    var model = new Sequential(first, new ReLU(), new Linear(units, 1, r));
    var opt = new Adam(model.parameters(), 0.02f);
    var mse = new MSELoss();
    for (int s = 0; s < steps; s++) {
        opt.zeroGrad();
        var loss = mse.forward(model.forward(dataX), dataY);
        loss.backward();
        opt.step();
    }
    return model;
}

// Mean squared error of a model on the data, without recording a graph.
float mse(Module model) {
    try (var off = GradMode.off()) { return new MSELoss().forward(model.forward(dataX), dataY).item(); }
}

// Joints of a trained 1-D shallow network that fall inside [0, π].
long joints(Sequential model) {
    var first = (Linear) model.get(0);
    float[] wt = first.weight().data(), bs = first.bias().data();
    long count = 0;
    for (int d = 0; d < bs.length; d++) {
        double j = -bs[d] / wt[d];
        if (wt[d] != 0 && j > 0 && j < Math.PI) count++;
    }
    return count;
}

var fits = new LinkedHashMap<Integer, Sequential>();
for (int units : new int[] {2, 6, 32}) {
    var model = fit(units, steps);
    fits.put(units, model);
    System.out.printf(Locale.ROOT, "D = %2d hidden units (%3d parameters): MSE %.4f, %2d joints inside [0, π]%n",
            units, model.numParameters(), mse(model), joints(model));
}
// expect: D =  2 hidden units \(  7 parameters\)
// expect: D =  6 hidden units \( 19 parameters\)
// expect: D = 32 hidden units \( 97 parameters\)
// expect falling after "MSE"
// expect < 0.05 after "( 19 parameters): MSE"
// expect < 0.01 after "( 97 parameters): MSE"

// The 6-unit fit against the data: a handful of straight pieces approximating a sine.
float[] fitted;
try (var off = GradMode.off()) { fitted = fits.get(6).forward(dataX).toArray(); }
plot("D = 6: fit (*) and data (o)", px, fitted, py);
// expect: \(y from -1\.\d\d to 1\.\d\d, x from 0\.00 to 3\.14\)
display(Plot.of("D = 6: fit and data", "x", "y", 560, 360)
        .points("data", doubles(px), doubles(py)).line("fit", doubles(px), doubles(fitted)).save(Display.file("02-fit.png")));
// expect: figure: .*02-fit\.png

// Try it: change the hand-set parameters in section 1 so that two joints coincide, or fit
// with D = 1 and look at the single hinge it finds.
