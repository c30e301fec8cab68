package org.jgrad.optim;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.jgrad.core.Tensor;
import org.jgrad.nn.Linear;
import org.jgrad.nn.MSELoss;

/** The test problems: f(w) = w₁² + w₂² from w = (1, −2) (gradient 2w), and a least-squares fit. */
final class Quadratic {

    private Quadratic() {}

    static Tensor start() {
        return Tensor.of(new float[] {1f, -2f}).requiresGrad();
    }

    /** One step: zero the gradient, f(w) = Σ w², backward, step. */
    static void step(Optimizer<?> opt, Tensor w) {
        opt.zeroGrad();
        w.mul(w).sum().backward();
        opt.step();
    }

    /**
     * Fits y = 3x₁ − 2x₂ + 1 (no noise) with a Linear(2, 1) for {@code steps} full-batch steps
     * and returns the final mean squared error.
     */
    static float fitLine(Function<List<Tensor>, Optimizer<?>> make, int steps) {
        var rng = new SplittableRandom(3);
        Tensor x = Tensor.randn(rng, 32, 2);
        float[] y = new float[32];
        for (int i = 0; i < 32; i++) y[i] = 3 * x.get(i, 0) - 2 * x.get(i, 1) + 1;
        Tensor target = Tensor.of(y, 32, 1);
        var model = new Linear(2, 1, new SplittableRandom(4));
        Optimizer<?> opt = make.apply(model.parameters());
        var mse = new MSELoss();
        float loss = Float.NaN;
        for (int s = 0; s < steps; s++) {
            opt.zeroGrad();
            Tensor l = mse.forward(model.forward(x), target);
            loss = l.item();
            l.backward();
            opt.step();
        }
        return loss;
    }
}
