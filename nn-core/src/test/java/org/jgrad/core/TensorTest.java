package org.jgrad.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TensorTest {

    /** PyTorch's torch.tensor([[..], [..]]): rows copied, ragged rows refused. */
    @Test
    void ofRowsBuildsAMatrix() {
        float[][] rows = {{1, 2, 3}, {4, 5, 6}};
        Tensor t = Tensor.of(rows);
        assertThat(t.shape()).containsExactly(2, 3);
        assertThat(t.toArray()).containsExactly(1, 2, 3, 4, 5, 6);
        rows[0][0] = 9;
        assertThat(t.toArray()[0]).as("copied").isEqualTo(1f);
        assertThat(Tensor.of(new float[0][]).shape()).containsExactly(0, 0);
        assertThatThrownBy(() -> Tensor.of(new float[][] {{1, 2}, {3}}))
                .hasMessage("Tensor.of: row 1 has 1 values, row 0 has 2; expected rows of one length");
        assertThatThrownBy(() -> Tensor.of(new float[][] {{1}, null})).hasMessageContaining("row 1 is null");
    }

    /** Zero-size dimensions: empty results (or zeros for an empty reduction), as in PyTorch; these threw before. */
    @Test
    void zeroSizeDimensionsGiveEmptyResults() {
        Tensor p = Tensor.zeros(2, 0).matmul(Tensor.zeros(0, 4));
        assertThat(p.shape()).containsExactly(2, 4);
        assertThat(p.toArray()).containsOnly(0f);
        Tensor w = Tensor.zeros(4, 0).requiresGrad(), b = Tensor.ones(4).requiresGrad();
        Tensor y = Functional.linear(Tensor.zeros(2, 0), w, b);
        assertThat(y.toArray()).containsExactly(1, 1, 1, 1, 1, 1, 1, 1);
        y.sum().backward();
        assertThat(b.grad().toArray()).containsExactly(2, 2, 2, 2);
        assertThat(w.grad().shape()).containsExactly(4, 0);
        assertThat(Tensor.zeros(100000, 100000, 0).numel()).isZero();
        assertThat(Tensor.zeros(0, 3).sum().item()).isZero();
        assertThat(Tensor.zeros(0, 3).relu().softmax(1).shape()).containsExactly(0, 3);
        assertThat(Functional.linear(Tensor.zeros(0, 3), Tensor.ones(5, 3), null).shape()).containsExactly(0, 5);
    }


    @Test
    void creation() {
        assertThat(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).shape()).containsExactly(2, 3);
        assertThat(Tensor.of(new float[] {1, 2}).shape()).containsExactly(2);
        assertThat(Tensor.scalar(3f).shape()).isEmpty();
        assertThat(Tensor.scalar(3f).item()).isEqualTo(3f);
        assertThat(Tensor.zeros(2, 2).toArray()).containsOnly(0f);
        assertThat(Tensor.ones(3).toArray()).containsOnly(1f);
        assertThat(Tensor.full(7f, 2).toArray()).containsExactly(7, 7);
        assertThat(Tensor.arange(4).toArray()).containsExactly(0, 1, 2, 3);
        assertThat(Tensor.arange(1f, 2f, 0.25f).toArray()).containsExactly(1f, 1.25f, 1.5f, 1.75f);
        assertThat(Tensor.arange(3f, 0f, -1f).toArray()).containsExactly(3, 2, 1);
        assertThat(Tensor.zerosLike(Tensor.ones(2, 5)).shape()).containsExactly(2, 5);
        assertThat(Tensor.onesLike(Tensor.zeros(4)).toArray()).containsOnly(1f);
        Tensor r = Tensor.rand(new SplittableRandom(1), 1000);
        for (float v : r.toArray()) assertThat(v).isGreaterThanOrEqualTo(0f).isLessThan(1f);
        Tensor n = Tensor.randn(new SplittableRandom(1), 10_000);
        assertThat((double) n.mean().item()).isCloseTo(0, offset(0.05));
        assertThat((double) n.std().item()).isCloseTo(1, offset(0.05));
        assertThat(Tensor.randn(new SplittableRandom(9), 5).toArray()).containsExactly(Tensor.randn(new SplittableRandom(9), 5).toArray());
        float[] src = {1, 2};
        Tensor copy = Tensor.of(src);
        src[0] = 5;
        assertThat(copy.get(0)).as("of copies its input").isEqualTo(1f);
    }

    @Test
    void creationErrors() {
        assertThatThrownBy(() -> Tensor.of(new float[] {1, 2, 3}, 2, 2)).hasMessage("Tensor.of: shape [2, 2] needs 4 values, got 3");
        assertThatThrownBy(() -> Tensor.zeros(2, -1)).hasMessageContaining("negative dimension");
        assertThatThrownBy(() -> Tensor.arange(0f, 1f, 0f)).hasMessageContaining("step must be non-zero");
        assertThatThrownBy(() -> Tensor.ones(2, 3).item()).isInstanceOf(IllegalStateException.class)
                .hasMessage("item: only a one-element tensor has an item; this one has shape [2, 3] (6 elements)");
        assertThatThrownBy(() -> Tensor.ones(2, 3).get(1)).hasMessage("get: expected 2 indices for shape [2, 3], got 1");
        assertThatThrownBy(() -> Tensor.ones(2, 3).get(1, 3)).hasMessage("get: index 3 is out of range for dim 1 of size 3");
    }

    @Test
    void broadcastingArithmetic() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertThat(a.add(Tensor.of(new float[] {10, 20, 30})).toArray()).containsExactly(11, 22, 33, 14, 25, 36);
        assertThat(a.sub(Tensor.of(new float[] {1, 2}, 2, 1)).toArray()).containsExactly(0, 1, 2, 2, 3, 4);
        assertThat(Tensor.of(new float[] {1, 2}, 2, 1).mul(Tensor.of(new float[] {1, 10, 100}, 1, 3)).toArray())
                .containsExactly(1, 10, 100, 2, 20, 200);
        assertThat(a.div(2f).toArray()).containsExactly(0.5f, 1, 1.5f, 2, 2.5f, 3);
        assertThat(Tensor.scalar(1f).div(a).get(1, 1)).isEqualTo(0.2f);
        assertThat(Tensor.scalar(10f).sub(a).get(0, 0)).isEqualTo(9f);
        assertThat(a.pow(2f).toArray()).containsExactly(1, 4, 9, 16, 25, 36);
        assertThat(a.maximum(Tensor.scalar(3.5f)).toArray()).containsExactly(3.5f, 3.5f, 3.5f, 4, 5, 6);
        assertThat(a.minimum(Tensor.of(new float[] {2, 2, 2}, 1, 3)).toArray()).containsExactly(1, 2, 2, 2, 2, 2);
        assertThat(a.add(Tensor.ones(4, 1, 1)).shape()).containsExactly(4, 2, 3);
        assertThat(a.gt(3f).toArray()).containsExactly(0, 0, 0, 1, 1, 1);
        assertThat(a.eq(Tensor.of(new float[] {1, 0, 3})).toArray()).containsExactly(1, 0, 1, 0, 0, 0);
        assertThat(a.le(Tensor.scalar(2f)).toArray()).containsExactly(1, 1, 0, 0, 0, 0);
        assertThat(Tensor.where(a.gt(3f), a, Tensor.scalar(Float.POSITIVE_INFINITY).neg()).toArray())
                .containsExactly(Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 4, 5, 6);
        assertThat(a.clamp(2f, 4f).toArray()).containsExactly(2, 2, 3, 4, 4, 4);
        assertThatThrownBy(() -> a.add(Tensor.ones(4)))
                .hasMessage("add: shapes [2, 3] and [4] cannot be broadcast (dimension 1: 3 vs 4)");
        assertThatThrownBy(() -> a.clamp(2f, 1f)).hasMessage("clamp: min 2.0 is greater than max 1.0");
    }

    @Test
    void comparisonsGiveMasksWithTensorsOrScalars() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor row = Tensor.of(new float[] {1, 5, 6});
        assertThat(a.ne(row).toArray()).containsExactly(0, 1, 1, 1, 0, 0);
        assertThat(a.lt(row).toArray()).containsExactly(0, 1, 1, 0, 0, 0);
        assertThat(a.ge(row).toArray()).containsExactly(1, 0, 0, 1, 1, 1);
        assertThat(a.eq(3f).toArray()).containsExactly(0, 0, 1, 0, 0, 0);
        assertThat(a.ne(3f).toArray()).containsExactly(1, 1, 0, 1, 1, 1);
        assertThat(a.lt(3f).toArray()).containsExactly(1, 1, 0, 0, 0, 0);
        assertThat(a.le(3f).toArray()).containsExactly(1, 1, 1, 0, 0, 0);
        assertThat(a.gt(3f).toArray()).containsExactly(0, 0, 0, 1, 1, 1);
        assertThat(a.ge(3f).toArray()).containsExactly(0, 0, 1, 1, 1, 1);
        assertThat(a.ge(3f).shape()).containsExactly(2, 3);
        Tensor nan = Tensor.of(new float[] {Float.NaN});
        assertThat(nan.ne(0f).item()).as("NaN differs from everything").isEqualTo(1f);
        assertThat(new float[] {nan.eq(0f).item(), nan.lt(0f).item(), nan.le(0f).item(), nan.gt(0f).item(), nan.ge(0f).item()})
                .containsOnly(0f);
        assertThat(a.detach().requiresGrad().ge(2f).isRequiresGrad()).as("masks stay outside autograd").isFalse();
    }

    @Test
    void scalarMaximumAndMinimum() {
        Tensor x = Tensor.of(new float[] {1, 4, -3}).requiresGrad();
        assertThat(x.maximum(2f).toArray()).containsExactly(2, 4, 2);
        assertThat(x.minimum(2f).toArray()).containsExactly(1, 2, -3);
        assertThat(Tensor.scalar(5f).maximum(2f).shape()).isEmpty();
        x.maximum(2f).sum().backward();
        assertThat(x.grad().toArray()).containsExactly(0, 1, 0);
        x.zeroGrad();
        x.minimum(2f).sum().backward();
        assertThat(x.grad().toArray()).containsExactly(1, 0, 1);
    }

    @Test
    void unaryFunctions() {
        Tensor x = Tensor.of(new float[] {-1f, 0f, 2f});
        assertThat(x.relu().toArray()).containsExactly(0, 0, 2);
        assertThat(x.abs().toArray()).containsExactly(1, 0, 2);
        assertThat(x.neg().toArray()).containsExactly(1, -0f, -2);
        assertThat((double) x.exp().get(2)).isCloseTo(Math.exp(2), offset(1e-5));
        assertThat((double) x.sigmoid().get(1)).isEqualTo(0.5);
        assertThat((double) x.tanh().get(0)).isCloseTo(Math.tanh(-1), offset(1e-6));
        float[] far = Tensor.of(new float[] {-100f, 100f}).sigmoid().toArray();
        assertThat((double) far[0]).isBetween(0.0, 1e-40);
        assertThat(far[1]).isEqualTo(1f);
        assertThat(Tensor.of(new float[] {4f}).sqrt().item()).isEqualTo(2f);
        assertThat((double) Tensor.of(new float[] {(float) Math.E}).log().item()).isCloseTo(1, offset(1e-6));
    }

    @Test
    void reductions() {
        Tensor a = Tensor.of(new float[] {1, 5, 3, 4, 2, 6}, 2, 3);
        assertThat(a.sum().item()).isEqualTo(21f);
        assertThat(a.sum().shape()).isEmpty();
        assertThat(a.sum(0).toArray()).containsExactly(5, 7, 9);
        assertThat(a.sum(1, true).shape()).containsExactly(2, 1);
        assertThat(a.sum(-1).toArray()).containsExactly(9, 12);
        assertThat(a.mean().item()).isEqualTo(3.5f);
        assertThat(a.mean(0).toArray()).containsExactly(2.5f, 3.5f, 4.5f);
        assertThat(a.max().item()).isEqualTo(6f);
        assertThat(a.max(1).toArray()).containsExactly(5, 6);
        assertThat(a.min(0).toArray()).containsExactly(1, 2, 3);
        assertThat(a.argmax(1).toArray()).containsExactly(1, 2);
        assertThat(a.argmin(0, true).shape()).containsExactly(1, 3);
        assertThat(a.argmax().item()).isEqualTo(5f);
        assertThat(Tensor.of(new float[] {3, 7, 7, 1}).argmax().item()).as("first on ties").isEqualTo(1f);
        assertThat((double) a.var().item()).isCloseTo(3.5, offset(1e-6));
        assertThat((double) a.var(new int[] {1}, 0, false).get(0)).isCloseTo(8.0 / 3, offset(1e-6));
        assertThat((double) a.std(0).get(0)).isCloseTo(Math.sqrt(4.5), offset(1e-6));
        assertThat(a.sum(new int[] {0, 1}, false).item()).isEqualTo(21f);
        assertThatThrownBy(() -> a.sum(2)).hasMessage("sum: dim 2 is out of range for a tensor of rank 2, shape [2, 3] (expected -2 to 1)");
        assertThatThrownBy(() -> a.argmax(-3)).hasMessageContaining("argmax: dim -3 is out of range");
    }

    /** Naive E[x²] − E[x]² gives −30 here; two passes give the truth. */
    @Test
    void varianceIsStableForLargeMeans() {
        float[] v = new float[1000];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < v.length; i++) v[i] = 1000f + (float) (0.01 * r.nextGaussian());
        double var = Tensor.of(v).var().item();
        assertThat(var).isGreaterThan(0).isCloseTo(1e-4, offset(3e-5));
    }

    @Test
    void softmaxOfTheLectureExampleHasNoNaN() {
        Tensor s = Tensor.of(new float[] {20, 134, 854}).softmax(0);
        assertThat(s.toArray()).containsExactly(0f, 0f, 1f);
        Tensor ls = Tensor.of(new float[] {20, 134, 854}).logSoftmax(0);
        assertThat((double) ls.get(0)).isCloseTo(-834, offset(1e-3));
        Tensor big = Tensor.of(new float[] {1000, 1000, 1000}).logSoftmax(0);
        assertThat(big.toArray()).containsOnly((float) -Math.log(3));
        assertThat((double) Tensor.of(new float[] {1000, 1000}).logSumExp(0).item()).isCloseTo(1000 + Math.log(2), offset(1e-3));
        Tensor rows = Tensor.of(new float[] {1, 2, 3, 1, 1, 1}, 2, 3).softmax(1);
        assertThat((double) rows.sum(1).get(0)).isCloseTo(1, offset(1e-6));
        assertThat((double) rows.get(1, 0)).isCloseTo(1.0 / 3, offset(1e-6));
        Tensor cols = Tensor.of(new float[] {1, 2, 3, 1, 1, 1}, 2, 3).softmax(0);
        assertThat((double) cols.get(0, 2)).isCloseTo(Math.exp(3) / (Math.exp(3) + Math.E), offset(1e-6));
    }

    @Test
    void shapeOps() {
        Tensor a = Tensor.arange(6).reshape(2, 3);
        assertThat(a.reshape(3, -1).shape()).containsExactly(3, 2);
        assertThat(a.view(6).data()).as("reshape shares storage").isSameAs(a.data());
        assertThat(a.flatten().shape()).containsExactly(6);
        assertThat(a.unsqueeze(0).shape()).containsExactly(1, 2, 3);
        assertThat(a.unsqueeze(-1).shape()).containsExactly(2, 3, 1);
        assertThat(a.unsqueeze(1).squeeze().shape()).containsExactly(2, 3);
        assertThat(a.unsqueeze(1).squeeze(1).shape()).containsExactly(2, 3);
        assertThat(a.T().toArray()).containsExactly(0, 3, 1, 4, 2, 5);
        assertThat(a.transpose(0, 1).shape()).containsExactly(3, 2);
        Tensor b = Tensor.arange(24).reshape(2, 3, 4);
        assertThat(b.permute(2, 0, 1).get(3, 1, 2)).isEqualTo(b.get(1, 2, 3));
        assertThat(b.flatten(1, 2).shape()).containsExactly(2, 12);
        assertThat(a.narrow(1, 1, 2).toArray()).containsExactly(1, 2, 4, 5);
        assertThat(a.slice(0, 1, 2).toArray()).containsExactly(3, 4, 5);
        assertThat(Tensor.cat(0, a, a).shape()).containsExactly(4, 3);
        assertThat(Tensor.cat(1, a, Tensor.zeros(2, 1)).toArray()).containsExactly(0, 1, 2, 0, 3, 4, 5, 0);
        assertThat(Tensor.stack(1, a, a).shape()).containsExactly(2, 2, 3);
        assertThat(a.indexSelect(1, Tensor.of(new float[] {2, 0})).toArray()).containsExactly(2, 0, 5, 3);
        assertThat(a.gather(1, Tensor.of(new float[] {2, 0}, 2, 1)).toArray()).containsExactly(2, 3);
        assertThat(Tensor.of(new float[] {1, 2}, 2, 1).expand(2, 3).toArray()).containsExactly(1, 1, 1, 2, 2, 2);
        assertThat(Tensor.of(new float[] {1, 2, 3}).broadcastTo(2, 3).toArray()).containsExactly(1, 2, 3, 1, 2, 3);
    }

    @Test
    void shapeErrors() {
        Tensor a = Tensor.arange(6).reshape(2, 3);
        assertThatThrownBy(() -> a.reshape(4, 2)).hasMessage("reshape: shape [4, 2] is invalid for input of shape [2, 3] (6 elements)");
        assertThatThrownBy(() -> a.reshape(-1, -1)).hasMessageContaining("only one dimension can be -1");
        assertThatThrownBy(() -> a.permute(0, 0)).hasMessage("permute: dim 0 repeats in [0, 0]");
        assertThatThrownBy(() -> a.permute(0)).hasMessageContaining("permute: got 1 dims");
        assertThatThrownBy(() -> a.narrow(1, 2, 2)).hasMessageContaining("narrow: range [2, 4) is out of bounds for dim 1 of size 3");
        assertThatThrownBy(() -> Tensor.cat(0, a, Tensor.zeros(2, 2)))
                .hasMessage("cat: tensor 1 has shape [2, 2] but tensor 0 has [2, 3] (only dim 0 may differ)");
        assertThatThrownBy(() -> Tensor.stack(0, a, Tensor.zeros(3, 2))).hasMessageContaining("stack: tensor 1 has shape [3, 2]");
        assertThatThrownBy(() -> a.gather(1, Tensor.of(new float[] {3, 0}, 2, 1)))
                .hasMessage("gather: index 3 is out of range for dim 1 of size 3");
        assertThatThrownBy(() -> a.gather(1, Tensor.of(new float[] {1.5f, 0}, 2, 1))).hasMessageContaining("gather: index 1.5 is not an integer");
        assertThatThrownBy(() -> a.indexSelect(0, Tensor.of(new float[] {2}))).hasMessageContaining("indexSelect: index 2 is out of range");
        assertThatThrownBy(() -> a.expand(3, 3)).hasMessageContaining("expand: shapes [2, 3] and [3, 3] cannot be broadcast");
        assertThatThrownBy(() -> a.transpose(0, 2)).hasMessageContaining("transpose: dim 2 is out of range for a tensor of rank 2");
        assertThatThrownBy(() -> a.unsqueeze(3)).hasMessageContaining("unsqueeze: dim 3 is out of range");
    }

    @Test
    void matmulFollowsPyTorchRules() {
        Tensor a = Tensor.arange(6).reshape(2, 3), b = Tensor.arange(12).reshape(3, 4);
        Tensor c = a.matmul(b);
        assertThat(c.shape()).containsExactly(2, 4);
        assertThat(c.toArray()).containsExactly(20, 23, 26, 29, 56, 68, 80, 92);
        assertThat(Tensor.of(new float[] {1, 2, 3}).matmul(Tensor.of(new float[] {4, 5, 6})).item()).isEqualTo(32f);
        assertThat(Tensor.of(new float[] {1, 2, 3}).matmul(b).shape()).containsExactly(4);
        assertThat(a.matmul(Tensor.of(new float[] {1, 1, 1})).toArray()).containsExactly(3, 12);
        Tensor batch = Tensor.arange(12).reshape(2, 2, 3);
        assertThat(batch.matmul(b).shape()).containsExactly(2, 2, 4);
        assertThat(batch.matmul(b).narrow(0, 1, 1).reshape(2, 4).toArray())
                .containsExactly(batch.narrow(0, 1, 1).reshape(2, 3).matmul(b).toArray());
        assertThat(Tensor.ones(3, 1, 2, 5).matmul(Tensor.ones(4, 5, 6)).shape()).containsExactly(3, 4, 2, 6);
        assertThatThrownBy(() -> Tensor.ones(2, 3).matmul(Tensor.ones(4, 5)))
                .hasMessage("matmul: [2, 3] @ [4, 5]: inner dimensions 3 and 4 differ");
        assertThatThrownBy(() -> Tensor.ones(3).matmul(Tensor.ones(4))).hasMessage("matmul: [3] @ [4]: inner dimensions 3 and 4 differ");
        assertThatThrownBy(() -> Tensor.ones(2, 2, 3).matmul(Tensor.ones(3, 3, 1))).hasMessageContaining("batch dimensions [2] and [3] cannot be broadcast");
        assertThatThrownBy(() -> Tensor.scalar(1f).matmul(Tensor.ones(2))).hasMessageContaining("at least 1 dimension");
    }

    @Test
    void printsLikePyTorch() {
        assertThat(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).toString()).isEqualTo("tensor([[1., 2.],\n        [3., 4.]])");
        assertThat(Tensor.of(new float[] {1.5f, -2.25f}).toString()).isEqualTo("tensor([ 1.5000, -2.2500])");
        assertThat(Tensor.scalar(3.5f).toString()).isEqualTo("tensor(3.5000)");
        assertThat(Tensor.of(new float[] {1e-6f, 1f}).toString()).isEqualTo("tensor([1.0000e-06, 1.0000e+00])");
        assertThat(Tensor.of(new float[] {Float.NaN, 1f, Float.NEGATIVE_INFINITY}).toString()).isEqualTo("tensor([ nan,   1., -inf])");
        assertThat(Tensor.ones(2).requiresGrad().toString()).isEqualTo("tensor([1., 1.], requiresGrad=true)");
        assertThat(Tensor.ones(2).requiresGrad().mul(2f).toString()).isEqualTo("tensor([2., 2.], gradFn=<mul>)");
        assertThat(Tensor.arange(2000).toString()).isEqualTo("tensor([   0.,    1.,    2., ..., 1997., 1998., 1999.])");
        String big = Tensor.zeros(40, 50).toString();
        assertThat(big.split("\n")).hasSize(7);
        assertThat(big).contains("...");
        assertThat(Tensor.zeros(2, 2, 2).toString()).isEqualTo("tensor([[[0., 0.],\n         [0., 0.]],\n\n        [[0., 0.],\n         [0., 0.]]])");
    }
}
