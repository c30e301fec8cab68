// ==========================================================================================
// Notebook 11 — Energy-based networks: a Hopfield network and a restricted Boltzmann machine
//
// Open it with   notebooks/open.sh 11-hopfield-rbm
// Both networks define an energy over binary states and prefer low energies.
//   Hopfield:  E(s) = −½ sᵀWs / N for s ∈ {−1, +1}^N, W = Σ_μ ξ^μ ξ^μᵀ (zero diagonal): the stored
//              patterns ξ^μ are minima, and recall slides down the energy to the nearest one.
//   RBM:       E(v, h) = −bᵀv − cᵀh − vᵀWh for binary visible v and hidden h, trained so that
//              the data gets low energy (high probability p ∝ e^−E).
// The full runs, with pictures: ./jgrad hopfield and ./jgrad rbm.
// ==========================================================================================

import java.util.*;
import org.jgrad.core.*;
import org.jgrad.data.*;
import org.jgrad.examples.TrainExample;   // for the Fashion-MNIST images shipped with the examples
import org.jgrad.examples.plot.*;
// display(...) shows a figure inline in Jupyter; in JShell it prints the path of the PNG file
import static org.jgrad.examples.plot.Display.display;

// Small mode (-Djgrad.small=true): a smaller capacity sweep and a shorter RBM run, a few seconds.
boolean SMALL = Boolean.getBoolean("jgrad.small");

// show(what, value) prints "what = value".
void show(String what, Object value) {
    System.out.println(what + " = " + (value instanceof double[] d ? Arrays.toString(d) : value));
}

var images = TrainExample.embedded();            // 10,000 Fashion-MNIST images [n, 1, 28, 28] in [0, 1]
float[] pixels = images.features().data();
String[] CLASSES = FashionMnist.CLASSES;

// ------------------------------------------------------------------------------------------
// 1. Hopfield: store a few images as ±1 patterns (pixel > ½ is +1) by the Hebbian rule.
//    W is an outer-product sum, i.e. one matrix product XᵀX of the patterns as rows.
// ------------------------------------------------------------------------------------------
int N = 784;
int[] pattern(int item) {
    int[] s = new int[N];
    for (int i = 0; i < N; i++) s[i] = pixels[item * N + i] > 0.5f ? 1 : -1;
    return s;
}
// m = s·ξ / N: 1 for the pattern itself, about 0 for an unrelated state.
double overlap(int[] s, int[] xi) {
    long dot = 0;
    for (int i = 0; i < s.length; i++) dot += s[i] * xi[i];
    return (double) dot / s.length;
}

// Images of clothes look alike (a dark background, a bright middle), and patterns that overlap
// much merge into one minimum. Pick 4 items, greedily, that overlap least among the first 300.
List<int[]> stored = new ArrayList<>();
List<Integer> items = new ArrayList<>(List.of(0));
stored.add(pattern(0));
while (stored.size() < 4) {
    int best = -1;
    double bestMax = 2;
    for (int c = 1; c < 300; c++) {
        if (items.contains(c)) continue;
        double worst = 0;
        for (int[] xi : stored) worst = Math.max(worst, Math.abs(overlap(pattern(c), xi)));
        if (worst < bestMax) { bestMax = worst; best = c; }
    }
    items.add(best);
    stored.add(pattern(best));
}
double bestOverlap() {
    double m = 0;
    for (int a = 0; a < stored.size(); a++) for (int b = a + 1; b < stored.size(); b++) m = Math.max(m, Math.abs(overlap(stored.get(a), stored.get(b))));
    return m;
}
for (int i : items) System.out.print(CLASSES[(int) images.labels().data()[i]] + "  ");
System.out.printf(Locale.ROOT, "%nlargest overlap between two stored patterns %.2f%n", bestOverlap());
// expect < 0.5 after "largest overlap between two stored patterns"

// W = XᵀX with X the patterns as rows [P, N]; then zero the diagonal (no neuron drives itself).
float[] rows = new float[stored.size() * N];
for (int p = 0; p < stored.size(); p++) for (int i = 0; i < N; i++) rows[p * N + i] = stored.get(p)[i];
var X = Tensor.of(rows, stored.size(), N);
float[] W = X.T().matmul(X).toArray();            // whole numbers, so float is exact here
for (int i = 0; i < N; i++) W[i * N + i] = 0;
show("W shape", "[" + N + ", " + N + "], W[0][1] = " + W[1]);
// expect: W shape = \[784, 784\], W\[0\]\[1\] = 4\.0

// ------------------------------------------------------------------------------------------
// 2. Recall, one neuron at a time: s_i ← sign(h_i), h_i = Σ_j W_ij s_j. A flip changes E by
//    −2|h_i|/N, so the energy can only fall, and the state stops in a minimum.
// ------------------------------------------------------------------------------------------
double energy(int[] s) {
    double e = 0;
    for (int i = 0; i < N; i++) {
        double h = 0;
        for (int j = 0; j < N; j++) h += W[i * N + j] * s[j];
        e += s[i] * h;
    }
    return -0.5 * e / N;
}
// One sweep visits every neuron once in a random order; returns how many flipped.
int sweep(int[] s, SplittableRandom rng) {
    int flips = 0;
    int[] order = rng.ints(0, N).distinct().limit(N).toArray();
    for (int i : order) {
        double h = 0;
        for (int j = 0; j < N; j++) h += W[i * N + j] * s[j];
        int want = h > 0 ? 1 : h < 0 ? -1 : s[i];
        if (want != s[i]) { s[i] = want; flips++; }
    }
    return flips;
}
int[] corrupt(int[] xi, double fraction, SplittableRandom rng) {
    int[] s = xi.clone();
    rng.ints(0, xi.length).distinct().limit(Math.round(fraction * xi.length)).forEach(i -> s[i] = -s[i]);
    return s;
}

var rng = new SplittableRandom(1);
double[] recallOverlap = new double[stored.size()];
for (int p = 0; p < stored.size(); p++) {
    int[] s = corrupt(stored.get(p), 0.2, rng);      // 20 % of the pixels flipped
    double start = overlap(s, stored.get(p));
    var energies = new StringBuilder(String.format(Locale.ROOT, "%.1f", energy(s)));
    for (int k = 0; k < 20 && sweep(s, rng) > 0; k++) energies.append(String.format(Locale.ROOT, " -> %.1f", energy(s)));
    recallOverlap[p] = overlap(s, stored.get(p));
    System.out.printf(Locale.ROOT, "%-12s overlap %.2f -> %.3f; energy per sweep: %s%n", CLASSES[(int) images.labels().data()[items.get(p)]],
            start, recallOverlap[p], energies);
}
// expect ~ 0.6 ± 1e-9 after "overlap"
// Every stored item comes back exactly (overlap 1.000), and the energy never rose on the way.

// ------------------------------------------------------------------------------------------
// 3. Capacity: random patterns on n neurons. Recall works while P/n is below about 0.14
//    (Amit, Gutfreund and Sompolinsky's α_c ≈ 0.138) and then collapses.
// ------------------------------------------------------------------------------------------
// The same rules as above for any n, with W as a whole-number matrix.
double recallRate(int n, int p, SplittableRandom r) {
    int[][] xi = new int[p][n];
    for (int[] x : xi) for (int i = 0; i < n; i++) x[i] = r.nextBoolean() ? 1 : -1;
    int[] w = new int[n * n];
    for (int[] x : xi) for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (i != j) w[i * n + j] += x[i] * x[j];
    int ok = 0, probes = Math.min(p, 10);
    for (int mu = 0; mu < probes; mu++) {
        int[] s = corrupt(xi[mu], 0.1, r);
        for (int sw = 0, flips = 1; sw < 30 && flips > 0; sw++) {
            flips = 0;
            for (int i : r.ints(0, n).distinct().limit(n).toArray()) {
                long h = 0;
                for (int j = 0; j < n; j++) h += (long) w[i * n + j] * s[j];
                int want = h > 0 ? 1 : h < 0 ? -1 : s[i];
                if (want != s[i]) { s[i] = want; flips++; }
            }
        }
        if (overlap(s, xi[mu]) >= 0.95) ok++;
    }
    return (double) ok / probes;
}
int n = SMALL ? 200 : 500;
System.out.println("   P    P/n   recalled (overlap >= 0.95 from 10 % flipped bits)");
for (double load : new double[] {0.04, 0.08, 0.12, 0.16, 0.20, 0.25}) {
    int p = (int) Math.round(load * n);
    System.out.printf(Locale.ROOT, "%4d   %.2f   %5.1f%%%n", p, load, 100 * recallRate(n, p, rng));
}
// expect = 100 after "0.04"
// expect = 100 after "0.08"
// expect < 50 after "0.25"

// ------------------------------------------------------------------------------------------
// 4. A restricted Boltzmann machine: 784 visible units, 64 hidden, trained by contrastive
//    divergence (CD-1). With p(h=1|v) = σ(c + vW) and p(v=1|h) = σ(b + hWᵀ), one step moves
//        W += lr·(v⁰ᵀ p(h|v⁰) − v¹ᵀ p(h|v¹)) / B      (the data's correlations minus the model's)
//    and b, c alike. No autograd: the update is the formula, in Tensor matmuls.
// ------------------------------------------------------------------------------------------
int count = SMALL ? 1000 : 5000, hidden = 64, batch = 20, rbmEpochs = SMALL ? 3 : 10;
float lr = 0.05f;
float[] bin = new float[count * N];
for (int i = 0; i < bin.length; i++) bin[i] = pixels[i] > 0.5f ? 1 : 0;
var V = Tensor.of(bin, count, N);

var rrng = new SplittableRandom(2);
var Wr = Tensor.randn(rrng, N, hidden).mul(0.01f);
var b = Tensor.zeros(N);
var c = Tensor.zeros(hidden);
Tensor pHidden(Tensor v) { return v.matmul(Wr).add(c).sigmoid(); }
Tensor pVisible(Tensor h) { return h.matmul(Wr.T()).add(b).sigmoid(); }
Tensor sample(Tensor p) {
    float[] q = p.toArray();
    for (int i = 0; i < q.length; i++) q[i] = rrng.nextFloat() < q[i] ? 1 : 0;
    return Tensor.of(q, p.shape());
}
void addScaled(Tensor param, Tensor delta, float scale) {
    float[] d = param.data(), u = delta.toArray();
    for (int i = 0; i < d.length; i++) d[i] += scale * u[i];
}
// The reconstruction error: squared, per pixel, of p(v | p(h | v)) against v.
double reconstructionError() {
    float[] r = pVisible(pHidden(V)).toArray();
    double sq = 0;
    for (int i = 0; i < bin.length; i++) sq += (r[i] - bin[i]) * (r[i] - bin[i]);
    return sq / bin.length;
}

double[] rbmError = new double[rbmEpochs + 1];
rbmError[0] = reconstructionError();
System.out.printf(Locale.ROOT, "RBM 784 x %d on %d binarised images, CD-1, lr %.2f, batch %d%n", hidden, count, lr, batch);
System.out.printf(Locale.ROOT, "untrained: reconstruction error %.4f%n", rbmError[0]);
// expect ~ 0.25 ± 0.01 after "reconstruction error"
for (int e = 1; e <= rbmEpochs; e++) {
    for (int s = 0; s < count; s += batch) {
        var v0 = V.narrow(0, s, batch);
        var ph0 = pHidden(v0);
        var v1 = pVisible(sample(ph0));              // the chain's one step (probabilities stand in for v¹)
        var ph1 = pHidden(v1);
        addScaled(Wr, v0.T().matmul(ph0).sub(v1.T().matmul(ph1)), lr / batch);
        addScaled(b, v0.sub(v1).sum(0), lr / batch);
        addScaled(c, ph0.sub(ph1).sum(0), lr / batch);
    }
    rbmError[e] = reconstructionError();
    System.out.printf(Locale.ROOT, "epoch %d: reconstruction error %.4f%n", e, rbmError[e]);
}
// expect falling after "reconstruction error"
// expect < 0.15 after "reconstruction error"

// What a hidden unit learned: its 784 weights, as a 28×28 picture (+ ink, - no ink).
void showFilter(int j) {
    float[] w = Wr.toArray();
    double scale = 0;
    for (int i = 0; i < N; i++) scale = Math.max(scale, Math.abs(w[i * hidden + j]));
    for (int r = 0; r < 28; r += 2) {
        StringBuilder sb = new StringBuilder("  ");
        for (int col = 0; col < 28; col++) {
            double x = w[(r * 28 + col) * hidden + j] / scale;
            sb.append(x > 0.5 ? '#' : x > 0.2 ? '+' : x < -0.5 ? '=' : x < -0.2 ? '-' : ' ');
        }
        System.out.println(sb);
    }
}
System.out.println("hidden unit 0's weights:");
showFilter(0);

// The first 16 hidden units' weights as pictures, each from black (its most negative) to white.
List<float[]> filters = new ArrayList<>();
float[] wAll = Wr.toArray();
for (int j = 0; j < 16; j++) {
    float[] w = new float[N];
    for (int i = 0; i < N; i++) w[i] = wAll[i * hidden + j];
    filters.add(w);
}
display(Images.grid(Display.file("11-rbm-filters.png"), "RBM: the weights of hidden units 0 to 15", filters, 28, 28, 8, 2, null));
// expect: figure: .*11-rbm-filters\.png

// Try it: store 8 items instead of 4 in section 1 and watch some recalls end in a mixture;
// or train the RBM with CD-5 (five Gibbs steps) and compare the reconstruction error.
