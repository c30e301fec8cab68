package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.jgrad.core.Autograd;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Sequential runs a Linear or Conv2d followed by a ReLU as one op, and a conv, ReLU, max pooling
 * with the ReLU after the pooling: the output and every gradient are bitwise those of the layers
 * run one by one, and the graph shows the fused op.
 */
class FusedReluTest {

    /** The same layers, one module at a time (no fusion). */
    private static Tensor oneByOne(Sequential s, Tensor x) {
        for (int i = 0; i < s.size(); i++) x = s.get(i).forward(x);
        return x;
    }

    private static void sameAsOneByOne(Sequential model, Tensor x, String fusedOp) {
        List<Tensor> params = model.parameters();
        Tensor[] wrt = params.toArray(new Tensor[0]);
        Tensor xg = x.detach().requiresGrad();
        Tensor fused = model.forward(xg), plain = oneByOne(model, xg);
        assertThat(fused.toArray()).isEqualTo(plain.toArray());
        Tensor[] all = concat(wrt, xg);
        Tensor[] gf = Autograd.grad(fused.mul(fused).sum(), all), gp = Autograd.grad(plain.mul(plain).sum(), all);
        for (int i = 0; i < all.length; i++) assertThat(gf[i].toArray()).as("gradient %d", i).isEqualTo(gp[i].toArray());
        assertThat(fused.gradFn()).isEqualTo(fusedOp);
        assertThat(plain.gradFn()).isEqualTo("relu");
    }

    private static Tensor[] concat(Tensor[] a, Tensor b) {
        Tensor[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }

    @Test
    void mlpLayersFuseWithTheirRelu() {
        var rng = new SplittableRandom(3);
        var model = new Sequential(new Linear(7, 9, rng), new ReLU(), new Linear(9, 5, rng), new ReLU());
        Tensor x = Tensor.randn(new SplittableRandom(4), 6, 7);
        sameAsOneByOne(model, x, "linear+relu");
        // a ReLU that does not follow a layer, and a layer without one, run as themselves
        var other = new Sequential(new ReLU(), new Linear(7, 3, rng));
        assertThat(other.forward(x.detach().requiresGrad()).gradFn()).isEqualTo("linear");
    }

    /**
     * Conv, ReLU, max pooling runs the ReLU after the pooling: bitwise the same output and
     * gradients under a loss whose gradient has both signs (all-negative windows pass zero either way).
     */
    @Test
    void reluMovesAfterMaxPoolingWithTheSameValuesAndGradients() {
        var rng = new SplittableRandom(7);
        var model = new Sequential(new Conv2d(3, 5, 3, 1, 1, rng), new ReLU(), new MaxPool2d(2),
                new Conv2d(5, 4, 3, 1, 1, rng), new ReLU(), new MaxPool2d(3, 2, 1));
        Tensor x = Tensor.randn(new SplittableRandom(8), 2, 3, 9, 9);
        Tensor weights = Tensor.randn(new SplittableRandom(9), 2, 4, 2, 2);
        Tensor[] all = concat(model.parameters().toArray(new Tensor[0]), x.detach().requiresGrad());
        Tensor xg = all[all.length - 1];
        Tensor moved = model.forward(xg), plain = oneByOne(model, xg);
        assertThat(moved.toArray()).isEqualTo(plain.toArray());
        assertThat(moved.gradFn()).isEqualTo("relu");
        Tensor[] gm = Autograd.grad(moved.mul(weights).sum(), all), gp = Autograd.grad(plain.mul(weights).sum(), all);
        for (int i = 0; i < all.length; i++) assertThat(gm[i].toArray()).as("gradient %d", i).isEqualTo(gp[i].toArray());
    }

    @Test
    void convLayersFuseWithTheirRelu() {
        var rng = new SplittableRandom(5);
        var model = new Sequential(new Conv2d(2, 4, 3, 1, 1, rng), new ReLU(), new MaxPool2d(2),
                new Conv2d(4, 3, 3, 1, 1, rng), new ReLU());
        Tensor x = Tensor.randn(new SplittableRandom(6), 2, 2, 8, 8);
        sameAsOneByOne(model, x, "conv2d+relu");
    }
}
