package org.jgrad.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jgrad.core.Tensor;
import org.jgrad.examples.plot.Images;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A restricted Boltzmann machine on binarised Fashion-MNIST (pixel &gt; ½ is 1): 784 binary visible
 * units v, {@code --hidden} binary hidden units h, energy E(v, h) = −bᵀv − cᵀh − vᵀWh, so that
 * p(h<sub>j</sub> = 1 | v) = σ(c + vW)<sub>j</sub> and p(v<sub>i</sub> = 1 | h) = σ(b + Whᵀ)<sub>i</sub>.
 * Trained by contrastive divergence (Hinton 2002): CD-k starts a Gibbs chain at a training batch
 * v⁰, runs k steps to v<sup>k</sup>, and moves W by lr·(v⁰ᵀp(h|v⁰) − v<sup>k</sup>ᵀp(h|v<sup>k</sup>))/B (b and c
 * alike), the data's correlations minus the model's. No autograd: the update is the formula,
 * computed with Tensor matmul and sigmoid.
 *
 * <p>Printed per epoch: the reconstruction error (squared, per pixel, of σ(b + W p(h|v)) against v on
 * the training items) and the mean free energy F(v) = −bᵀv − Σ<sub>j</sub> softplus(c + vW)<sub>j</sub>
 * of the training items against noise images of the same ink density: a trained RBM gives its data
 * the lower free energy (the higher probability, p(v) ∝ e<sup>−F(v)</sup>). Pictures: the filters (the
 * weights of hidden units as 28×28 images) and Gibbs chains started from training items and from noise.
 *
 * <pre>
 *   ./jgrad rbm --out plots --epochs 30 --limit 60000 --hidden 200 --k 5
 * </pre>
 */
public final class RbmExample {

    private static final int SIDE = 28, PIXELS = SIDE * SIDE, BATCH = 20, CHAINS = 8, SHOWN_FILTERS = 64;
    /** The Gibbs steps after which the chains are drawn. */
    static final int[] SNAPSHOTS = {0, 1, 10, 100, 1000};

    /** The parameters: weights [784, hidden], visible biases b [784], hidden biases c [hidden]. */
    public record Rbm(Tensor w, Tensor b, Tensor c) {
        int hidden() {
            return c.numel();
        }

        /** p(h = 1 | v) for rows of v. */
        Tensor hidden(Tensor v) {
            return v.matmul(w).add(c).sigmoid();
        }

        /** p(v = 1 | h) for rows of h. */
        Tensor visible(Tensor h) {
            return h.matmul(w.transpose(0, 1)).add(b).sigmoid();
        }

        /** F(v) = −bᵀv − Σ_j softplus(c + vW)_j for each row of v. */
        double[] freeEnergy(Tensor v) {
            int n = v.size(0), hid = hidden();
            float[] x = v.matmul(w).add(c).data(), vd = v.data(), bd = b.data();
            double[] f = new double[n];
            for (int r = 0; r < n; r++) {
                double s = 0;
                for (int i = 0; i < PIXELS; i++) s -= bd[i] * vd[r * PIXELS + i];
                for (int j = 0; j < hid; j++) {
                    double a = x[r * hid + j];
                    s -= Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a)));   // softplus without overflow
                }
                f[r] = s;
            }
            return f;
        }
    }

    /** Reconstruction error before training and after each epoch, mean free energies at the end, the machine and the PNGs. */
    public record Result(double[] reconstructionError, double freeEnergyTrain, double freeEnergyNoise, Rbm rbm, List<Path> files) {}

    private RbmExample() {}

    /** {@code rbm}'s options. */
    @Command(name = "rbm")
    static final class Options implements Cli.Job {
        @Mixin
        Cli.Out out;

        @Option(names = "--epochs", paramLabel = "N",
                description = "Passes over the training images (default: ${DEFAULT-VALUE}).")
        int epochs = 10;

        @Option(names = "--limit", paramLabel = "N",
                description = "Train on the first N training images (default: ${DEFAULT-VALUE}).")
        int limit = 10000;

        @Option(names = "--hidden", paramLabel = "H",
                description = "Hidden units (default: ${DEFAULT-VALUE}).")
        int hidden = 100;

        @Option(names = "--k", paramLabel = "K",
                description = "Gibbs steps of contrastive divergence CD-k (default: ${DEFAULT-VALUE}).")
        int k = 1;

        @Option(names = "--lr", paramLabel = "X",
                description = "Learning rate (default: ${DEFAULT-VALUE}).")
        double lr = 0.05;

        @Option(names = "--seed", paramLabel = "S",
                description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed = 1;

        @Override
        public Result run(PrintStream stdout) throws IOException {
            if (epochs < 1 || limit < 1 || hidden < 1 || k < 1) {
                throw new IllegalArgumentException("rbm: --epochs, --limit, --hidden and --k must be at least 1, got " + epochs + ", " + limit
                        + ", " + hidden + " and " + k);
            }
            TrainExample.Data data = TrainExample.load(null, seed);
            return RbmExample.run(binarise(data.train().features(), limit), data.source(), hidden, k, epochs, (float) lr, seed, out.dir(), stdout);
        }
    }

    /** {@code rbm [options]} with the options of {@link Options} (the entry point of tests and notebooks). */
    public static Result main(String[] args, PrintStream out) throws IOException {
        return Cli.parse(new Options(), args).run(out);
    }

    /** The first {@code limit} images as rows [n, 784] of 0 and 1 (pixel &gt; ½). */
    static Tensor binarise(Tensor images, int limit) {
        int n = Math.min(limit, images.size(0));
        float[] src = images.data(), x = new float[n * PIXELS];
        for (int i = 0; i < x.length; i++) x[i] = src[i] > 0.5f ? 1 : 0;
        return Tensor.of(x, n, PIXELS);
    }

    /** Trains an RBM on the rows of {@code v} by CD-k, printing each epoch, and draws its filters and Gibbs chains. */
    public static Result run(Tensor v, String source, int hidden, int k, int epochs, float lr, long seed, Path dir, PrintStream out)
            throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = v.size(0);
        Rbm rbm = init(v, hidden, rng);
        Tensor noise = noiseLike(v, rng);
        out.printf(Locale.ROOT, "rbm: 784 visible, %d hidden binary units, CD-%d, lr %.3g, batch %d; %d binarised training images from %s%n",
                hidden, k, lr, BATCH, n, source);
        double[] error = new double[epochs + 1];
        error[0] = reconstructionError(rbm, v);
        out.printf(Locale.ROOT, "untrained: reconstruction error %.4f; free energy of training items %.1f, of noise %.1f%n", error[0],
                mean(rbm.freeEnergy(v)), mean(rbm.freeEnergy(noise)));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int e = 1; e <= epochs; e++) {
            long t0 = System.nanoTime();
            shuffle(order, rng);
            for (int start = 0; start < n; start += BATCH) {
                int m = Math.min(BATCH, n - start);
                float[] batch = new float[m * PIXELS];
                for (int r = 0; r < m; r++) System.arraycopy(v.data(), order[start + r] * PIXELS, batch, r * PIXELS, PIXELS);
                cdStep(rbm, Tensor.of(batch, m, PIXELS), k, lr, rng);
            }
            error[e] = reconstructionError(rbm, v);
            out.printf(Locale.ROOT, "epoch %d: reconstruction error %.4f; free energy of training items %.1f, of noise %.1f (%.1fs)%n", e,
                    error[e], mean(rbm.freeEnergy(v)), mean(rbm.freeEnergy(noise)), (System.nanoTime() - t0) / 1e9);
        }
        double fTrain = mean(rbm.freeEnergy(v)), fNoise = mean(rbm.freeEnergy(noise));
        List<Path> files = List.of(drawFilters(dir.resolve("filters.png"), rbm, k), drawChains(dir.resolve("samples.png"), rbm, v, rng));
        for (Path f : files) out.println("wrote " + f);
        return new Result(error, fTrain, fNoise, rbm, files);
    }

    /** W ~ N(0, 0.01²), c = 0, b = log(p/(1−p)) of each pixel's frequency p in the data (Hinton's practical guide, §8). */
    static Rbm init(Tensor v, int hidden, SplittableRandom rng) {
        Tensor w = Tensor.randn(rng, PIXELS, hidden).mul(0.01f);
        float[] b = new float[PIXELS];
        int n = v.size(0);
        for (int i = 0; i < PIXELS; i++) {
            double on = 0;
            for (int r = 0; r < n; r++) on += v.data()[r * PIXELS + i];
            double p = Math.min(Math.max(on / n, 1e-3), 1 - 1e-3);
            b[i] = (float) Math.log(p / (1 - p));
        }
        return new Rbm(w, Tensor.of(b, PIXELS), Tensor.of(new float[hidden], hidden));
    }

    /**
     * One CD-k update on a batch v⁰ [m, 784]: hidden states are sampled all along the chain, visible states
     * sampled except at the last step, where the probabilities stand in for them (less noise, same mean).
     */
    static void cdStep(Rbm rbm, Tensor v0, int k, float lr, SplittableRandom rng) {
        int m = v0.size(0);
        Tensor ph0 = rbm.hidden(v0), vk = v0, phk = ph0, h = sample(ph0, rng);
        for (int t = 1; t <= k; t++) {
            Tensor pv = rbm.visible(h);
            vk = t < k ? sample(pv, rng) : pv;
            phk = rbm.hidden(vk);
            if (t < k) h = sample(phk, rng);
        }
        Tensor dw = v0.transpose(0, 1).matmul(ph0).sub(vk.transpose(0, 1).matmul(phk));
        Tensor db = v0.sub(vk).sum(0), dc = ph0.sub(phk).sum(0);
        float step = lr / m;
        addScaled(rbm.w(), dw, step);
        addScaled(rbm.b(), db, step);
        addScaled(rbm.c(), dc, step);
    }

    /** Squared error per pixel of the mean-field reconstruction p(v | p(h | v)) against v. */
    static double reconstructionError(Rbm rbm, Tensor v) {
        float[] r = rbm.visible(rbm.hidden(v)).data(), x = v.data();
        double sq = 0;
        for (int i = 0; i < x.length; i++) sq += (r[i] - x[i]) * (r[i] - x[i]);
        return sq / x.length;
    }

    /** Random binary images with each pixel on with the data's overall ink density (so noise and data differ in shape only). */
    static Tensor noiseLike(Tensor v, SplittableRandom rng) {
        double on = 0;
        for (float x : v.data()) on += x;
        float p = (float) (on / v.numel());
        float[] x = new float[v.numel()];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextFloat() < p ? 1 : 0;
        return Tensor.of(x, v.shape());
    }

    private static Tensor sample(Tensor p, SplittableRandom rng) {
        float[] pd = p.data(), s = new float[pd.length];
        for (int i = 0; i < s.length; i++) s[i] = rng.nextFloat() < pd[i] ? 1 : 0;
        return Tensor.of(s, p.shape());
    }

    private static void addScaled(Tensor param, Tensor delta, float scale) {
        float[] p = param.data(), d = delta.data();
        for (int i = 0; i < p.length; i++) p[i] += scale * d[i];
    }

    private static double mean(double[] a) {
        double s = 0;
        for (double x : a) s += x;
        return s / a.length;
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** The weights of the first {@value #SHOWN_FILTERS} hidden units, each as a 28×28 image (its own grey scale). */
    private static Path drawFilters(Path file, Rbm rbm, int k) throws IOException {
        int shown = Math.min(SHOWN_FILTERS, rbm.hidden()), hid = rbm.hidden();
        float[] w = rbm.w().data();
        List<float[]> images = new ArrayList<>();
        for (int j = 0; j < shown; j++) {
            float[] f = new float[PIXELS];
            for (int i = 0; i < PIXELS; i++) f[i] = w[i * hid + j];
            images.add(f);
        }
        return Images.gridWithScales(file, "RBM filters (CD-" + k + "): weights of hidden units 1-" + shown + ", white = positive", images, SIDE, SIDE,
                8, 3, null);
    }

    /**
     * {@value #CHAINS} Gibbs chains, each row one chain with p(v | h) drawn after 0, 1, 10, 100, 1000 steps: half start at
     * training items 0, 1, 2, …, half at noise. A short CD-1 run leaves few, deep modes, so the chains soon look alike;
     * longer runs and larger {@code --k} give more varied samples.
     */
    private static Path drawChains(Path file, Rbm rbm, Tensor data, SplittableRandom rng) throws IOException {
        int fromData = Math.min(CHAINS / 2, data.size(0));
        float[] start = noiseLike(data.narrow(0, 0, Math.min(CHAINS, data.size(0))), rng).data();
        start = java.util.Arrays.copyOf(start, CHAINS * PIXELS);
        System.arraycopy(data.data(), 0, start, 0, fromData * PIXELS);
        Tensor v = Tensor.of(start, CHAINS, PIXELS), pv = v;
        List<float[][]> snaps = new ArrayList<>();
        int step = 0;
        for (int target : SNAPSHOTS) {
            for (; step < target; step++) {
                pv = rbm.visible(sample(rbm.hidden(v), rng));
                v = sample(pv, rng);
            }
            float[][] s = new float[CHAINS][];
            for (int r = 0; r < CHAINS; r++) s[r] = java.util.Arrays.copyOfRange(pv.data(), r * PIXELS, (r + 1) * PIXELS);
            snaps.add(s);
        }
        List<float[]> images = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int r = 0; r < CHAINS; r++) {
            for (int s = 0; s < SNAPSHOTS.length; s++) {
                images.add(snaps.get(s)[r]);
                captions.add(SNAPSHOTS[s] > 0 ? "step " + SNAPSHOTS[s] : r < fromData ? "training item" : "noise");
            }
        }
        return Images.grid(file, "RBM Gibbs chains: p(v|h) after 0-1000 steps", images, SIDE, SIDE, SNAPSHOTS.length, 3, captions);
    }
}
