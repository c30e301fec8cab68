package org.jgrad.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.IntStream;
import org.jgrad.core.Parallel;
import org.jgrad.data.Batch;
import org.jgrad.data.DataLoader;
import org.jgrad.data.FashionMnist;
import org.jgrad.data.ByteImages;
import org.jgrad.data.Dataset;
import org.jgrad.nn.Module;
import org.jgrad.train.Trainer;

/**
 * Start-up as a user's first run sees it, each run in a fresh JVM: the time from the JVM's start
 * to the first training step done (data loading, class loading and the kernels' first, slow,
 * executions included), and the speed of epoch 0 against epoch 1 (Vector API code is slow until
 * C2 has compiled it). Like the main job it trains on Fashion-MNIST when it is installed (else on synthetic data of the same shape, said in the
 * figure's text).
 *
 * <p>{@link #figures} runs this class's {@code main} as a child process, a few times per model,
 * and reports the medians. Run alone:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp nn-bench/target/benchmarks.jar org.jgrad.bench.Startup mlp 1 8192
 * </pre>
 */
final class Startup {

    private Startup() {}

    /** One child run: prints {@code startup first_step_ms=… epoch0=… epoch1=… data=…}. */
    public static void main(String[] args) throws IOException {
        String model = args[0];
        int threads = Integer.parseInt(args[1]), samples = Integer.parseInt(args[2]);
        Parallel.setThreads(threads);
        boolean cnn = model.equals("cnn");
        Optional<Path> dir = FashionMnist.locate(null);
        Dataset data;
        if (dir.isPresent()) {
            ByteImages images = FashionMnist.trainSamples(dir.get(), IntStream.range(0, samples).toArray())[0];
            data = cnn ? images : images.withFeatureShape(784);
        } else {
            data = cnn ? Workloads.synthetic(samples, 1, 1, 28, 28) : Workloads.synthetic(samples, 1, 784);
        }
        Module net = cnn ? Workloads.cnn(1) : Workloads.mlp(1);
        Trainer trainer = Workloads.trainer(net);
        DataLoader loader = new DataLoader(data, cnn ? 64 : 128, true, 1);
        double firstStepMs = -1;
        double[] rate = new double[2];
        for (int epoch = 0; epoch < 2; epoch++) {
            long t0 = System.nanoTime();
            int seen = 0;
            for (Batch b : loader.epoch(epoch)) {
                seen += trainer.step(b).samples();
                if (firstStepMs < 0) firstStepMs = ManagementFactory.getRuntimeMXBean().getUptime();
            }
            rate[epoch] = seen / ((System.nanoTime() - t0) / 1e9);
        }
        System.out.printf(Locale.ROOT, "startup first_step_ms=%.0f epoch0=%.1f epoch1=%.1f data=%s%n",
                firstStepMs, rate[0], rate[1], dir.isPresent() ? "fashion-mnist" : "synthetic");
    }

    /**
     * The start-up figures of one model on {@code threads} threads: the median of {@code runs}
     * child JVMs, each training two epochs of {@code samples} samples.
     */
    static List<Figure> figures(String model, int threads, int samples, int runs, PrintStream log) throws IOException {
        double[] first = new double[runs], share = new double[runs];
        String data = "?";
        for (int r = 0; r < runs; r++) {
            String line = child(model, threads, samples);
            first[r] = value(line, "first_step_ms");
            share[r] = 100 * value(line, "epoch0") / value(line, "epoch1");
            data = line.substring(line.indexOf("data=") + 5).trim();
            log.printf(Locale.ROOT, "  %s start-up run %d: first step %.0f ms after JVM start, epoch 0 at %.0f%% of epoch 1%n",
                    model, r + 1, first[r], share[r]);
        }
        Arrays.sort(first);
        Arrays.sort(share);
        String extra = String.format(Locale.ROOT, "fresh JVM per run, median of %d; %s, %d samples per epoch; first step %.0f ms (min %.0f, max %.0f)",
                runs, data, samples, first[runs / 2], first[0], first[runs - 1]);
        String name = model + " start-up";
        return List.of(
                // bigger is better, as every figure of the report: first steps per second of start-up time
                new Figure(name + ": 1 / time to first step T=" + threads, "1/s", Figure.round(1000 / first[runs / 2]),
                        spread(1000 / first[runs - 1], 1000 / first[0], 1000 / first[runs / 2]), extra,
                        Figure.samples(Arrays.stream(first).map(ms -> 1000 / ms).toArray(), 1)),
                new Figure(name + ": epoch 0 speed / epoch 1 speed T=" + threads, "%", Figure.round(share[runs / 2]),
                        spread(share[0], share[runs - 1], share[runs / 2]), extra, Figure.samples(share, 1)));
    }

    private static String spread(double min, double max, double median) {
        return Figure.range(50 * (max - min) / median);
    }

    /** Runs {@link #main} in a fresh JVM with this one's java and class path; returns its result line. */
    private static String child(String model, int threads, int samples) throws IOException {
        String[] result = {null};
        StringBuilder all = new StringBuilder();
        int code = ChildJvm.run(List.of(), Startup.class, List.of(model, Integer.toString(threads), Integer.toString(samples)), line -> {
            all.append(line).append('\n');
            if (line.startsWith("startup ")) result[0] = line;
        });
        if (code != 0 || result[0] == null) {
            throw new IOException("start-up run of " + model + " exited with " + code + ":\n" + all);
        }
        return result[0];
    }

    private static double value(String line, String key) {
        for (String part : line.split(" ")) {
            if (part.startsWith(key + "=")) return Double.parseDouble(part.substring(key.length() + 1));
        }
        throw new IllegalArgumentException("start-up run: no " + key + " in '" + line + "'");
    }
}
