package org.jgrad.bench;

import java.util.SplittableRandom;
import org.jgrad.core.Autograd;
import org.jgrad.core.GradMode;
import org.jgrad.core.Tensor;
import org.jgrad.data.Batch;
import org.jgrad.data.DataLoader;
import org.jgrad.data.TensorDataset;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.CrossEntropyLoss;
import org.jgrad.nn.Flatten;
import org.jgrad.nn.Linear;
import org.jgrad.nn.MaxPool2d;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.optim.SGD;
import org.jgrad.train.Trainer;

/**
 * The reference workloads, built once here and shared by the JMH benchmarks and the quick report,
 * so both measure the same thing. Everything goes through the public layers (Conv2d, MaxPool2d,
 * Trainer), so a faster kernel behind them shows up without touching this module.
 */
final class Workloads {

    private Workloads() {}

    /** The reference MLP 784-512-256-10 on flat inputs [N, 784]. */
    static Module mlp(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sequential(new Linear(784, 512, rng), new ReLU(), new Linear(512, 256, rng), new ReLU(), new Linear(256, 10, rng));
    }

    /** The reference CNN on [N, 1, 28, 28]: two 5×5 conv + ReLU + 2×2 max-pool blocks, then 3136-128-10. */
    static Module cnn(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sequential(
                new Conv2d(1, 32, 5, 1, 2, rng), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 5, 1, 2, rng), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(3136, 128, rng), new ReLU(), new Linear(128, 10, rng));
    }

    /** SGD with momentum 0.9 and a small learning rate, so repeated steps on random data stay finite. */
    static Trainer trainer(Module model) {
        return new Trainer(model, new CrossEntropyLoss(), new SGD(model.parameters(), 0.01f).momentum(0.9f)).output(null);
    }

    /** n synthetic samples of the given feature shape (standard normal) with labels 0..9. */
    static TensorDataset synthetic(int n, long seed, int... featureShape) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] shape = new int[featureShape.length + 1];
        shape[0] = n;
        System.arraycopy(featureShape, 0, shape, 1, featureShape.length);
        Tensor x = Tensor.randn(rng, shape);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) y[i] = rng.nextInt(10);
        return new TensorDataset(x, Tensor.of(y, n));
    }

    /** One batch of {@link #synthetic} samples. */
    static Batch batch(int n, long seed, int... featureShape) {
        TensorDataset d = synthetic(n, seed, featureShape);
        return new Batch(d.features(), d.labels());
    }

    /** One epoch over {@code loader}; returns the samples seen. */
    static int epoch(Trainer trainer, DataLoader loader, int epoch) {
        int seen = 0;
        for (Batch b : loader.epoch(epoch)) seen += trainer.step(b).samples();
        return seen;
    }

    /** One conv layer of the reference CNN at batch n, with its input and an output cotangent. */
    static final class ConvCase {
        final String name;
        final Conv2d conv;
        final Tensor x, dy;
        /** Forward flops 2·N·K·C·R·S·P·Q, and those of forward+backward (dx only when the input needs it). */
        final double forwardFlop, trainFlop;

        ConvCase(String name, int n, int c, int k, int hw, boolean inputGrad, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            this.name = name;
            conv = new Conv2d(c, k, 5, 1, 2, rng);
            x = Tensor.randn(rng, n, c, hw, hw);
            if (inputGrad) x.requiresGrad();
            dy = Tensor.randn(rng, n, k, hw, hw);
            forwardFlop = 2.0 * n * k * c * 25 * hw * hw;
            trainFlop = (inputGrad ? 3 : 2) * forwardFlop;
        }

        Tensor forward() {
            try (var off = GradMode.off()) {
                return conv.forward(x);
            }
        }

        Tensor[] forwardBackward() {
            Tensor y = conv.forward(x);
            return x.isRequiresGrad()
                    ? Autograd.grad(y, dy, false, x, conv.weight(), conv.bias())
                    : Autograd.grad(y, dy, false, conv.weight(), conv.bias());
        }
    }

    /** conv 1→32 5×5 pad 2 on 28×28: the first layer; its input needs no gradient, as in training. */
    static ConvCase conv1(int n) {
        return new ConvCase("conv1 1->32 5x5 28x28", n, 1, 32, 28, false, 11);
    }

    /** conv 32→64 5×5 pad 2 on 14×14 (the peers' conv workload): backward computes dx, dw and db. */
    static ConvCase conv2(int n) {
        return new ConvCase("conv2 32->64 5x5 14x14", n, 32, 64, 14, true, 12);
    }

    /** Max pooling 2×2 on the first conv's output [n, 32, 28, 28]. */
    static final class PoolCase {
        final MaxPool2d pool = new MaxPool2d(2);
        final Tensor x, dy;
        /** Compulsory traffic: forward reads x and writes y; backward also reads dy and writes dx. */
        final double forwardBytes, trainBytes;

        PoolCase(int n) {
            SplittableRandom rng = new SplittableRandom(13);
            x = Tensor.randn(rng, n, 32, 28, 28).requiresGrad();
            dy = Tensor.randn(rng, n, 32, 14, 14);
            long xs = (long) n * 32 * 28 * 28, ys = xs / 4;
            forwardBytes = 4.0 * (xs + ys);
            trainBytes = 2 * forwardBytes;
        }

        Tensor forward() {
            try (var off = GradMode.off()) {
                return pool.forward(x);
            }
        }

        Tensor[] forwardBackward() {
            return Autograd.grad(pool.forward(x), dy, false, x);
        }
    }
}
