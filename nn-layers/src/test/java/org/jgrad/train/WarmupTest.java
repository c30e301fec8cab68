package org.jgrad.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.jgrad.core.Tensor;
import org.jgrad.core.Warmup;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.CrossEntropyLoss;
import org.jgrad.nn.Flatten;
import org.jgrad.nn.Linear;
import org.jgrad.nn.MaxPool2d;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.optim.SGD;
import org.junit.jupiter.api.Test;

/** The kernel warm-up runs beside training and must not change a single bit of it. */
class WarmupTest {

    @Test
    void weightsAreBitwiseTheSameWithAndWithoutAConcurrentWarmup() throws InterruptedException {
        float[] quiet = train();
        Thread warm = new Thread(() -> Warmup.run(30));
        warm.start();
        float[] beside = train();
        warm.join();
        float[] after = train();                      // and after it, with every kernel compiled
        assertThat(beside).isEqualTo(quiet);
        assertThat(after).isEqualTo(quiet);
    }

    /** A few SGD steps of a small CNN; returns all its weights. */
    private static float[] train() {
        SplittableRandom rng = new SplittableRandom(5);
        Module model = new Sequential(new Conv2d(1, 8, 3, 1, 1, rng), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(8 * 6 * 6, 16, rng), new ReLU(), new Linear(16, 4, rng));
        SGD sgd = new SGD(model.parameters(), 0.05f).momentum(0.9f);
        Tensor x = Tensor.randn(rng, 24, 1, 12, 12);
        float[] labels = new float[24];
        for (int i = 0; i < labels.length; i++) labels[i] = i % 4;
        Tensor y = Tensor.of(labels);
        for (int step = 0; step < 15; step++) {
            sgd.zeroGrad();
            new CrossEntropyLoss().forward(model.forward(x), y).backward();
            sgd.step();
        }
        return model.parameters().stream().map(Tensor::toArray)
                .reduce(new float[0], (a, b) -> {
                    float[] c = java.util.Arrays.copyOf(a, a.length + b.length);
                    System.arraycopy(b, 0, c, a.length, b.length);
                    return c;
                });
    }
}
