package org.jgrad.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jgrad.core.Parallel;
import org.jgrad.core.Tensor;
import org.jgrad.core.kernels.Elementwise;
import org.jgrad.core.kernels.Gemm;
import org.jgrad.data.Batch;
import org.jgrad.data.DataLoader;
import org.jgrad.data.TensorDataset;
import org.jgrad.nn.CrossEntropyLoss;
import org.jgrad.nn.Module;
import org.jgrad.optim.SGD;
import org.jgrad.train.Trainer;

/**
 * The figures of the report. Each item sets up its workload lazily (so a long suite does not
 * hold every buffer at once), sets the thread count, and is measured by {@link Timer}.
 * Names carry the thread count, so a baseline from a machine with other cores shows as
 * missing/new rather than as a false regression.
 */
final class Suite {

    /** What one figure measures: {@code call} does {@code work} units; the rate is scaled by {@code scale}. */
    record Item(String name, String unit, int threads, double scale, Setup setup, boolean allocation) {
        Item(String name, String unit, int threads, double scale, Setup setup) {
            this(name, unit, threads, scale, setup, false);
        }

        /**
         * A kernel's figure (GEMM, convolution, pooling, elementwise, softmax), measured on a fixed,
         * pre-touched heap; the training figures (samples/s, allocation) run as a user's JVM runs them.
         */
        boolean kernel() {
            return !allocation && !unit.equals("samples/s");
        }
    }

    /** Builds the workload; returns the call and its work per call. */
    interface Setup {
        Work build();
    }

    record Work(Runnable call, double work) {}

    private Suite() {}

    /** The quick suite (under 3 minutes on 2 cores) or the full one. */
    static List<Item> items(boolean quick, int all) {
        List<Item> items = new ArrayList<>();
        int[] gemmThreads = all > 1 ? new int[] {1, all} : new int[] {1};
        List<int[]> gemm = quick
                ? List.of(new int[] {256, 256, 256}, new int[] {1024, 1024, 1024}, new int[] {128, 784, 512})
                : List.of(new int[] {128, 128, 128}, new int[] {256, 256, 256}, new int[] {512, 512, 512},
                        new int[] {1024, 1024, 1024}, new int[] {2048, 2048, 2048}, new int[] {128, 784, 512}, new int[] {128, 512, 256});
        for (int t : gemmThreads) for (int[] mkn : gemm) items.add(gemm(false, false, mkn[0], mkn[1], mkn[2], t));
        if (!quick) {
            // the backward products of the MLP's first layer read an operand transposed in place
            for (int t : gemmThreads) {
                items.add(gemm(true, false, 784, 128, 512, t));    // dW = Xᵀ·dY
                items.add(gemm(false, true, 128, 512, 784, t));    // dX = dY·Wᵀ
            }
        }

        int[] layerThreads = quick ? new int[] {all} : gemmThreads;
        for (int t : layerThreads) {
            items.add(conv(true, false, t));
            items.add(conv(true, true, t));
            items.add(conv(false, false, t));
            items.add(conv(false, true, t));
            items.add(pool(false, t));
            items.add(pool(true, t));
            items.add(mlpStep(t));
            items.add(mlpLoopStep(t));
            items.add(cnnStep(t));
            items.add(allocation(mlpStep(t), "mlp train step allocation B=128 T=" + t));
            items.add(allocation(mlpLoopStep(t), "mlp plain loop step allocation B=128 T=" + t));
            items.add(allocation(cnnStep(t), "cnn train step allocation B=64 T=" + t));
        }
        if (!quick) {
            items.add(elementwise("add", all));
            items.add(elementwise("exp", all));
            items.add(elementwise("sigmoid", all));
            items.add(softmax(all));
            items.add(mlpEpoch(all));
            items.add(cnnEpoch(all));
        }
        return items;
    }

    static String gemmName(int m, int k, int n, int t) {
        return gemmName(false, false, m, k, n, t);
    }

    /** "sgemm n=1024 T=1", "sgemm (128x784)(784x512) T=2", "sgemm (784x128)t(128x512) T=1" for a transposed A. */
    static String gemmName(boolean transA, boolean transB, int m, int k, int n, int t) {
        if (m == k && k == n && !transA && !transB) return "sgemm n=" + m + " T=" + t;
        return "sgemm (" + m + "x" + k + ")" + (transA ? "t" : "") + "(" + k + "x" + n + ")" + (transB ? "t" : "") + " T=" + t;
    }

    /** C[M×N] = op(A)[M×K]·op(B)[K×N], transposed operands stored as their transposes; GFLOPS = 2·M·N·K / t. */
    static Item gemm(boolean transA, boolean transB, int m, int k, int n, int t) {
        return new Item(gemmName(transA, transB, m, k, n, t), "GFLOPS", t, 1e-9, () -> {
            SplittableRandom rnd = new SplittableRandom(0);
            float[] a = random(rnd, m * k), b = random(rnd, k * n), c = new float[m * n];
            int lda = transA ? m : k, ldb = transB ? k : n;
            return new Work(() -> Gemm.sgemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n), 2.0 * m * n * k);
        });
    }

    static String convName(boolean first, boolean backward, int t) {
        return (first ? "conv1 1->32 5x5 28x28" : "conv2 32->64 5x5 14x14") + " N=64 " + (backward ? "fwd+bwd" : "forward") + " T=" + t;
    }

    /** Through the public Conv2d layer; fwd+bwd flops count dw (and dx for conv2) like the forward. */
    static Item conv(boolean first, boolean backward, int t) {
        return new Item(convName(first, backward, t), "GFLOPS", t, 1e-9, () -> {
            Workloads.ConvCase c = first ? Workloads.conv1(64) : Workloads.conv2(64);
            return backward ? new Work(c::forwardBackward, c.trainFlop) : new Work(c::forward, c.forwardFlop);
        });
    }

    static Item pool(boolean backward, int t) {
        return new Item("maxpool 2x2 64x32x28x28 " + (backward ? "fwd+bwd" : "forward") + " T=" + t, "GB/s", t, 1e-9, () -> {
            Workloads.PoolCase p = new Workloads.PoolCase(64);
            return backward ? new Work(p::forwardBackward, p.trainBytes) : new Work(p::forward, p.forwardBytes);
        });
    }

    static String mlpEpochName(int t) {
        return "mlp epoch 8192 synthetic B=128 T=" + t;
    }

    static String cnnEpochName(int t) {
        return "cnn epoch 1024 synthetic B=64 T=" + t;
    }

    static String mlpStepName(int t) {
        return "mlp 784-512-256-10 train step B=128 T=" + t;
    }

    static String mlpLoopStepName(int t) {
        return "mlp 784-512-256-10 plain loop step B=128 T=" + t;
    }

    static String cnnStepName(int t) {
        return "cnn train step B=64 T=" + t;
    }

    /** One Trainer step (forward, backward, SGD momentum) of the reference MLP on a synthetic batch. */
    static Item mlpStep(int t) {
        return new Item(mlpStepName(t), "samples/s", t, 1, () -> {
            Trainer tr = Workloads.trainer(Workloads.mlp(1));
            Batch b = Workloads.batch(128, 2, 784);
            return new Work(() -> tr.step(b), 128);
        });
    }

    /** The same step as a user's PyTorch-style loop writes it: zeroGrad, forward, loss, backward, step. */
    static Item mlpLoopStep(int t) {
        return new Item(mlpLoopStepName(t), "samples/s", t, 1, () -> {
            Module model = Workloads.mlp(1);
            SGD opt = new SGD(model.parameters(), 0.01f).momentum(0.9f);
            CrossEntropyLoss loss = new CrossEntropyLoss();
            Batch b = Workloads.batch(128, 2, 784);
            return new Work(() -> {
                opt.zeroGrad();
                loss.forward(model.forward(b.features()), b.labels()).backward();
                opt.step();
            }, 128);
        });
    }

    static Item cnnStep(int t) {
        return new Item(cnnStepName(t), "samples/s", t, 1, () -> {
            Trainer tr = Workloads.trainer(Workloads.cnn(1));
            Batch b = Workloads.batch(64, 2, 1, 28, 28);
            return new Work(() -> tr.step(b), 64);
        });
    }

    /** Epoch-equivalent throughput: shuffled minibatches from a synthetic dataset, as fit() sees them. */
    static Item mlpEpoch(int t) {
        return new Item(mlpEpochName(t), "samples/s", t, 1, () -> {
            Trainer tr = Workloads.trainer(Workloads.mlp(1));
            TensorDataset d = Workloads.synthetic(8192, 3, 784);
            DataLoader loader = new DataLoader(d, 128, true, 4);
            int[] e = {0};
            return new Work(() -> Workloads.epoch(tr, loader, e[0]++), 8192);
        });
    }

    static Item cnnEpoch(int t) {
        return new Item(cnnEpochName(t), "samples/s", t, 1, () -> {
            Trainer tr = Workloads.trainer(Workloads.cnn(1));
            TensorDataset d = Workloads.synthetic(1024, 3, 1, 28, 28);
            DataLoader loader = new DataLoader(d, 64, true, 4);
            int[] e = {0};
            return new Work(() -> Workloads.epoch(tr, loader, e[0]++), 1024);
        });
    }

    /** Elementwise kernels on 2^20 floats (out of cache); Gelem/s. */
    static Item elementwise(String op, int t) {
        return new Item("elementwise " + op + " 2^20 T=" + t, "Gelem/s", t, 1e-9, () -> {
            int n = 1 << 20;
            SplittableRandom rnd = new SplittableRandom(5);
            float[] a = random(rnd, n), b = random(rnd, n), out = new float[n];
            Runnable call = switch (op) {
                case "add" -> () -> Elementwise.add(a, 0, b, 0, out, 0, n);
                case "exp" -> () -> Elementwise.exp(a, 0, out, 0, n);
                case "sigmoid" -> () -> Elementwise.sigmoid(a, 0, out, 0, n);
                default -> throw new IllegalArgumentException("elementwise: unknown op " + op);
            };
            return new Work(call, n);
        });
    }

    /** Tensor.softmax over rows of 1000 logits, 1024 rows; Gelem/s. */
    static Item softmax(int t) {
        return new Item("softmax 1024x1000 T=" + t, "Gelem/s", t, 1e-9, () -> {
            Tensor x = Tensor.randn(new SplittableRandom(6), 1024, 1000);
            return new Work(() -> x.softmax(1), 1024 * 1000);
        });
    }

    /** Measures every item, printing progress to {@code log}. */
    static List<Figure> run(List<Item> items, Timer.Settings settings, Environment env, PrintStream log) {
        List<Figure> out = new ArrayList<>();
        for (Item it : items) out.add(measure(it, settings, env, log));
        return out;
    }

    /**
     * Memory allocated per call, as "steps/GiB" (GiB / bytes per step: bigger is better, like every
     * figure of the report; the MiB per step are in the extra text). Allocation is a speed figure:
     * fresh arrays are cache misses, zeroing passes and, on virtual machines, page faults.
     */
    static Item allocation(Item step, String name) {
        return new Item(name, "steps/GiB", step.threads(), 1, step.setup(), true);
    }

    /** Bytes allocated by all live threads so far (HotSpot's per-thread counters). */
    private static long allocatedByAllThreads() {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long b : mx.getThreadAllocatedBytes(mx.getAllThreadIds())) if (b > 0) sum += b;
        return sum;
    }

    /**
     * MiB allocated per call of {@code w} by all threads: {@code warm} calls first (pools filled, JIT
     * done), then one figure per block of {@code steps} calls, {@code blocks} of them, sorted.
     */
    static double[] mibPerStep(Work w, int warm, int blocks, int steps) {
        for (int i = 0; i < warm; i++) w.call().run();
        double[] mib = new double[blocks];
        for (int b = 0; b < blocks; b++) {
            long before = allocatedByAllThreads();
            for (int i = 0; i < steps; i++) w.call().run();
            mib[b] = (allocatedByAllThreads() - before) / (double) steps / (1 << 20);
        }
        Arrays.sort(mib);
        return mib;
    }

    private static Figure measureAllocation(Item it, Work w, Environment env) {
        double[] mib = mibPerStep(w, 20, 5, 10);
        double median = mib[mib.length / 2];
        String extra = String.format(Locale.ROOT, "%.3f MiB allocated per step (median of %d blocks of 10; min %.3f, max %.3f), all threads",
                median, mib.length, mib[0], mib[mib.length - 1]);
        double spread = median == 0 ? 0 : (mib[mib.length - 1] - mib[0]) / 2 / median * 100;
        double[] stepsPerGiB = Arrays.stream(mib).map(m -> 1024 / Math.max(m, 1e-6)).toArray();
        return new Figure(it.name(), it.unit(), Figure.round(1024 / Math.max(median, 1e-6)), Figure.range(spread),
                extra + "; " + env.withThreads(it.threads()).describe(), Figure.samples(stepsPerGiB, 1));
    }

    static Figure measure(Item it, Timer.Settings settings, Environment env, PrintStream log) {
        long t0 = System.nanoTime();
        Parallel.setThreads(it.threads());
        Work w = it.setup().build();
        Figure f;
        String roundTrip = "";
        if (it.allocation()) {
            f = measureAllocation(it, w, env);
        } else {
            // where the VM's vCPUs are moves multi-thread figures by a third: say it beside them
            double ns = it.threads() > 1 ? Environment.coreRoundTripNanos() : Double.NaN;
            if (!Double.isNaN(ns)) roundTrip = String.format(Locale.ROOT, "; core round trip %.0f ns", ns);
            Timer.Result r = Timer.measure(w.call(), w.work(), settings);
            f = Figure.of(it.name(), it.unit(), r, it.scale(), env.withThreads(it.threads()).describe() + roundTrip);
        }
        if (log != null) {
            log.printf(Locale.ROOT, "%-46s %12s %-9s %7s  (%.1f s%s)%n", f.name(), ReportFiles.number(f.value()), f.unit(), f.range(),
                    (System.nanoTime() - t0) / 1e9, roundTrip);
        }
        return f;
    }

    private static float[] random(SplittableRandom rnd, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) x[i] = (float) (rnd.nextDouble() - 0.5);
        return x;
    }
}
