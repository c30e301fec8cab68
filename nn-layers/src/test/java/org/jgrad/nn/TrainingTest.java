package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.jgrad.core.GradMode;
import org.jgrad.core.Tensor;
import org.jgrad.optim.Adam;
import org.jgrad.optim.CosineAnnealingLR;
import org.junit.jupiter.api.Test;

/** The pieces together: an MLP learns XOR with cross-entropy, Adam and a schedule. */
class TrainingTest {

    @Test
    void mlpLearnsXor() {
        var rng = new SplittableRandom(42);
        var model = new Sequential(new Linear(2, 8, rng), new Tanh(), new Linear(8, 2, rng));
        Tensor x = Tensor.of(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 4, 2);
        Tensor y = Tensor.of(new float[] {0, 1, 1, 0});
        var loss = new CrossEntropyLoss();
        var opt = new Adam(model.parameters(), 0.05f);
        var schedule = new CosineAnnealingLR(opt, 300, 0.001f);
        float last = Float.NaN;
        for (int step = 0; step < 300; step++) {
            opt.zeroGrad();
            Tensor l = loss.forward(model.forward(x), y);
            last = l.item();
            l.backward();
            opt.step();
            schedule.step();
        }
        assertThat(last).isLessThan(0.05f);
        model.eval();
        try (var off = GradMode.off()) {
            assertThat(model.forward(x).argmax(1).toArray()).containsExactly(0f, 1f, 1f, 0f);
        }
    }
}
