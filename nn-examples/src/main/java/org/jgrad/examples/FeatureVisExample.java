package org.jgrad.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jgrad.core.Autograd;
import org.jgrad.core.Functional;
import org.jgrad.core.GradMode;
import org.jgrad.core.Tensor;
import org.jgrad.data.DataLoader;
import org.jgrad.data.FashionMnist;
import org.jgrad.examples.plot.Images;
import org.jgrad.io.ModelFiles;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.CrossEntropyLoss;
import org.jgrad.nn.Flatten;
import org.jgrad.nn.Linear;
import org.jgrad.nn.MaxPool2d;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.optim.Adam;
import org.jgrad.train.Progress;
import org.jgrad.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Feature visualisation, the idea behind DeepDream: keep a trained CNN fixed and change the
 * <em>input</em> instead. For each of the 10 Fashion-MNIST classes, start from a dark image with a
 * little noise and climb the gradient of that class's logit with respect to the pixels,
 * <pre>
 *   x ← x + lr · g / rms(g),   g = ∂/∂x (logit_c(x) − λ·‖x‖²)
 * </pre>
 * blurring x with the 3×3 Gaussian of {@link FiltersExample} every few steps and clamping it to the
 * data range [0, 1] — without those regularisers the ascent finds high-frequency noise that the
 * network scores highly but no one recognises. The gradient is taken with
 * {@link Autograd#grad} for the input alone, in eval mode, so the weights never change.
 *
 * <p>The network is the reference CNN of {@code train --model cnn} when {@code --weights FILE}
 * names its safetensors file; otherwise a smaller CNN (16 and 32 channels, a quarter of the
 * reference CNN's arithmetic) trained here for {@code --epochs} epochs on the embedded
 * Fashion-MNIST split.
 *
 * <pre>
 *   ./jgrad features --out plots
 *   ./jgrad train --model cnn --out cnn.safetensors &amp;&amp; ./jgrad features --weights cnn.safetensors --out plots
 * </pre>
 */
public final class FeatureVisExample {

    /**
     * The network and its description, each class's logit on its starting image ({@code before[c]}) and on the
     * image found for it ({@code after[c]}), the softmax probability of that class there, and
     * whether every weight was bitwise the same after the ascent as before.
     */
    public record Result(Module network, String model, float[] before, float[] after, float[] probabilities,
                         boolean weightsUnchanged, List<Path> files) {}

    /** How the gradient ascent runs: steps, step size, L2 weight λ, a blur every {@code blurEvery} steps. */
    public record Ascent(int steps, float lr, float l2, int blurEvery) {}

    private FeatureVisExample() {}

    /** {@code features}' options: the reference CNN from a weights file, or a smaller CNN trained here. */
    @Command(name = "features")
    static final class Options implements Cli.Job {
        @Mixin
        Cli.Out out;

        @Option(names = "--weights", paramLabel = "FILE",
                description = "Weights of the reference CNN, written by 'train --model cnn --out FILE'; without it a smaller CNN is trained.")
        Path weights;

        @Option(names = "--epochs", paramLabel = "N",
                description = "Passes of the smaller CNN over the training images (default: ${DEFAULT-VALUE}).")
        int epochs = 3;

        @Option(names = "--limit", paramLabel = "N",
                description = "Train the smaller CNN on the first N training images (0: all) (default: ${DEFAULT-VALUE}).")
        int limit = 0;

        @Option(names = "--steps", paramLabel = "N",
                description = "Gradient ascent steps (default: ${DEFAULT-VALUE}).")
        int steps = 200;

        @Option(names = "--lr", paramLabel = "X",
                description = "Step size of the ascent (default: ${DEFAULT-VALUE}).")
        double lr = 0.02;

        @Option(names = "--l2", paramLabel = "X",
                description = "Weight λ of the L2 penalty on the image (default: ${DEFAULT-VALUE}).")
        double l2 = 0.005;

        @Option(names = "--blur-every", paramLabel = "N",
                description = "A blur every N steps (default: ${DEFAULT-VALUE}).")
        int blurEvery = 4;

        @Option(names = "--seed", paramLabel = "S",
                description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed = 1;

        @Override
        public Result run(PrintStream stdout) throws IOException {
            Ascent ascent = new Ascent(steps, (float) lr, (float) l2, blurEvery);
            if (ascent.steps() < 1 || ascent.blurEvery() < 1) {
                throw new IllegalArgumentException("features: --steps and --blur-every must be at least 1, got " + ascent.steps() + " and "
                        + ascent.blurEvery());
            }
            Module model;
            String name;
            if (weights != null) {
                if (!java.nio.file.Files.isRegularFile(weights)) {
                    throw new IllegalArgumentException("features: weights file " + weights + " does not exist (write one with: train --model cnn --out "
                            + weights + ")");
                }
                model = TrainExample.model("cnn", seed);
                ModelFiles.load(model, weights);
                name = "the reference CNN (" + String.format(Locale.ROOT, "%,d", model.numParameters()) + " parameters) from " + weights;
            } else {
                model = smallCnn(seed);
                name = trainSmall(model, epochs, limit, seed, stdout);
            }
            return FeatureVisExample.run(model, name, ascent, seed, out.dir(), stdout);
        }
    }

    /** {@code features [options]} with the options of {@link Options} (the entry point of tests and notebooks). */
    public static Result main(String[] args, PrintStream out) throws IOException {
        return Cli.parse(new Options(), args).run(out);
    }

    /**
     * The CNN of the default run, the reference CNN with half the channels and a smaller hidden
     * layer: conv 5×5 (16) → pool → conv 5×5 (32) → pool → 64 → 10, 114,314 parameters.
     */
    public static Module smallCnn(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sequential(new Conv2d(1, 16, 5, 1, 2, rng), new ReLU(), new MaxPool2d(2), new Conv2d(16, 32, 5, 1, 2, rng), new ReLU(),
                new MaxPool2d(2), new Flatten(), new Linear(32 * 7 * 7, 64, rng), new ReLU(), new Linear(64, 10, rng));
    }

    /** Trains {@code model} on the embedded split (the first {@code limit} training images when positive) and describes it. */
    static String trainSmall(Module model, int epochs, int limit, long seed, PrintStream out) throws IOException {
        TrainExample.Data data = TrainExample.loadEmbedded(seed);
        var train = data.train();
        if (limit > 0 && limit < train.size()) {
            int[] idx = new int[limit];
            for (int i = 0; i < limit; i++) idx[i] = i;
            var b = train.batch(idx);
            train = new org.jgrad.data.TensorDataset(b.features(), b.labels());
        }
        Trainer trainer = new Trainer(model, new CrossEntropyLoss(), new Adam(model.parameters(), 2e-3f))
                .progress(Progress.Mode.OFF).output(out);
        out.printf(Locale.ROOT, "features: training a smaller CNN (%,d parameters) for %d epoch%s on %d embedded Fashion-MNIST images%n",
                model.numParameters(), epochs, epochs == 1 ? "" : "s", train.size());
        trainer.fit(new DataLoader(train, 64, true, seed), data.validation(), epochs);
        double acc = trainer.evaluate(data.test()).accuracy();
        out.printf(Locale.ROOT, "smaller CNN: test accuracy %.3f%n", acc);
        return String.format(Locale.ROOT, "a smaller CNN (%,d parameters, test accuracy %.3f) trained for %d epoch%s on %d images",
                model.numParameters(), acc, epochs, epochs == 1 ? "" : "s", train.size());
    }

    /** Finds one image per class by gradient ascent on {@code model}'s input and writes {@code features.png} to {@code dir}. */
    public static Result run(Module model, String name, Ascent ascent, long seed, Path dir, PrintStream out) throws IOException {
        int classes = FashionMnist.CLASSES.length, px = 28 * 28;
        model.eval();
        List<float[]> weightsBefore = weights(model);

        // image c is pushed towards class c: the objective is the sum of the diagonal logits, one graph for all ten
        float[] eye = new float[classes * classes];
        for (int c = 0; c < classes; c++) eye[c * classes + c] = 1;
        Tensor mask = Tensor.of(eye, classes, classes);
        float[] x = new float[classes * px];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.1 * rng.nextDouble());
        float[] before = classLogits(model, x, classes);

        out.printf(Locale.ROOT, "features: gradient ascent on the input of %s; %d steps of %.3g, L2 %.3g, blur every %d steps%n", name,
                ascent.steps(), ascent.lr(), ascent.l2(), ascent.blurEvery());
        for (int step = 1; step <= ascent.steps(); step++) {
            Tensor input = Tensor.of(x, classes, 1, 28, 28).requiresGrad();
            Tensor objective = model.forward(input).mul(mask).sum().sub(input.mul(input).sum().mul(ascent.l2()));
            float[] g = Autograd.grad(objective, input)[0].data();
            for (int c = 0; c < classes; c++) {
                // a step of fixed size per image (normalised by the gradient's RMS), so classes with small gradients move too
                double sq = 0;
                for (int i = c * px; i < (c + 1) * px; i++) sq += (double) g[i] * g[i];
                float scale = (float) (ascent.lr() / (Math.sqrt(sq / px) + 1e-8));
                for (int i = c * px; i < (c + 1) * px; i++) x[i] += scale * g[i];
            }
            if (step % ascent.blurEvery() == 0) x = blur(x, classes);
            for (int i = 0; i < x.length; i++) x[i] = Math.max(0f, Math.min(1f, x[i]));
            if (step == 1 || step % 50 == 0 || step == ascent.steps()) {
                out.printf(Locale.ROOT, "  step %4d: mean class logit %.3f%n", step, mean(classLogits(model, x, classes)));
            }
        }

        float[] after = classLogits(model, x, classes), probabilities = new float[classes];
        float[] p;
        try (var off = GradMode.off()) {
            p = model.forward(Tensor.of(x, classes, 1, 28, 28)).softmax(1).toArray();
        }
        List<float[]> images = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        out.println("  class          logit before  after   P(class)");
        for (int c = 0; c < classes; c++) {
            probabilities[c] = p[c * classes + c];
            out.printf(Locale.ROOT, "  %-13s  %11.3f  %6.3f  %8.4f%n", FashionMnist.CLASSES[c], before[c], after[c], probabilities[c]);
            images.add(Arrays.copyOfRange(x, c * px, (c + 1) * px));
            captions.add(FashionMnist.CLASSES[c]);
        }
        boolean unchanged = sameWeights(weightsBefore, model);
        out.println(unchanged ? "the model's weights are bitwise unchanged" : "WARNING: the model's weights changed");
        Path png = Images.grid(dir.resolve("features.png"), "Inputs that maximise each class's logit", images, 28, 28, 5, 5, captions);
        out.println("wrote " + png);
        return new Result(model, name, before, after, probabilities, unchanged, List.of(png));
    }

    /** Logit of class c on image c, for every c, without recording a graph. */
    private static float[] classLogits(Module model, float[] x, int classes) {
        float[] logits;
        try (var off = GradMode.off()) {
            logits = model.forward(Tensor.of(x, classes, 1, 28, 28)).toArray();
        }
        float[] diag = new float[classes];
        for (int c = 0; c < classes; c++) diag[c] = logits[c * classes + c];
        return diag;
    }

    /** The course's 3×3 Gaussian blur on each 28×28 image, by conv2d with padding 1. */
    private static float[] blur(float[] x, int n) {
        try (var off = GradMode.off()) {
            Tensor k = Tensor.of(FiltersExample.filter("Gaussian blur").kernel().clone(), 1, 1, 3, 3);
            return Functional.conv2d(Tensor.of(x, n, 1, 28, 28), k, null, 1, 1).toArray();
        }
    }

    /** A copy of every parameter's values, to check after an ascent on the input that none moved. */
    static List<float[]> weights(Module model) {
        List<float[]> copy = new ArrayList<>();
        for (Tensor p : model.parameters()) copy.add(p.toArray());
        return copy;
    }

    /** Whether {@code model}'s parameters are bitwise those {@link #weights} copied. */
    static boolean sameWeights(List<float[]> before, Module model) {
        List<Tensor> params = model.parameters();
        for (int i = 0; i < params.size(); i++) if (!Arrays.equals(before.get(i), params.get(i).toArray())) return false;
        return true;
    }

    static double mean(float[] v) {
        double s = 0;
        for (float f : v) s += f;
        return s / v.length;
    }
}
