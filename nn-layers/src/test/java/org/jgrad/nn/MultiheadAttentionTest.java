package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jgrad.core.Parallel;
import org.jgrad.core.Tensor;
import org.jgrad.io.SafeTensors;
import org.jgrad.nn.init.Init;
import org.junit.jupiter.api.Test;

/**
 * MultiheadAttention against PyTorch: the state dicts, inputs, masks, outputs and gradients of
 * sum(output * g) in test resources were written by {@code attention/make_attention.py} with
 * torch 1.13 (embedDim 8, 2 heads, batch_first).
 */
class MultiheadAttentionTest {

    /** As the recurrent tests; the largest difference measured was 9.5e-7 (out_proj gradients). */
    private static final double TOL = 1e-5;

    private static Map<String, Tensor> read(String file) throws Exception {
        Path p = Path.of(MultiheadAttentionTest.class.getResource("/attention/" + file).toURI());
        return SafeTensors.read(p).tensors();
    }

    private static double maxDiff;

    private static void assertClose(String what, Tensor actual, Tensor expected) {
        assertThat(actual.shape()).as(what).containsExactly(expected.shape());
        float[] a = actual.toArray(), e = expected.toArray();
        for (int i = 0; i < a.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) a[i] - e[i]));
            assertThat((double) a[i]).as("%s element %d", what, i).isCloseTo(e[i], org.assertj.core.data.Offset.offset(TOL));
        }
    }

    private static MultiheadAttention loaded(String name) throws Exception {
        MultiheadAttention m = new MultiheadAttention(8, 2, new SplittableRandom(1));
        m.loadStateDict(read(name + ".safetensors"));
        return m;
    }

    @Test
    void crossAttentionWithMaskEqualsPyTorch() throws Exception {
        Map<String, Tensor> io = read("mha_io.safetensors");
        MultiheadAttention m = loaded("mha");
        Tensor q = io.get("query").requiresGrad(), k = io.get("key").requiresGrad(), v = io.get("value").requiresGrad();
        MultiheadAttention.Output out = m.forwardWithWeights(q, k, v, io.get("attn_mask"));
        assertClose("output", out.output(), io.get("output"));
        assertClose("weights", out.weights(), io.get("weights"));
        out.output().mul(io.get("g")).sum().backward();
        assertClose("grad query", q.grad(), io.get("input_grad_query"));
        assertClose("grad key", k.grad(), io.get("input_grad_key"));
        assertClose("grad value", v.grad(), io.get("input_grad_value"));
        for (var p : m.namedParameters().entrySet()) assertClose("grad " + p.getKey(), p.getValue().grad(), io.get("grad_" + p.getKey()));
    }

    @Test
    void causalSelfAttentionEqualsPyTorch() throws Exception {
        Map<String, Tensor> io = read("mha_causal_io.safetensors");
        MultiheadAttention m = loaded("mha_causal");
        Tensor x = io.get("x").requiresGrad();
        Tensor y = m.forwardCausal(x);
        assertClose("causal output", y, io.get("output"));
        // the stored mask (generate_square_subsequent_mask) gives the same bits
        assertThat(m.forward(x, x, x, io.get("attn_mask")).toArray()).containsExactly(y.toArray());
        y.mul(io.get("g")).sum().backward();
        assertClose("causal grad x", x.grad(), io.get("input_grad_x"));
        for (var p : m.namedParameters().entrySet()) assertClose("causal grad " + p.getKey(), p.getValue().grad(), io.get("grad_" + p.getKey()));
    }

    @Test
    void keyPaddingMaskEqualsPyTorch() throws Exception {
        Map<String, Tensor> io = read("mha_kpm_io.safetensors");
        MultiheadAttention m = loaded("mha_kpm");
        maxDiff = 0;
        Tensor q = io.get("query").requiresGrad(), k = io.get("key").requiresGrad(), v = io.get("value").requiresGrad();
        Tensor kpm = io.get("key_padding_mask");
        MultiheadAttention.Output out = m.forwardWithWeights(q, k, v, io.get("attn_mask"), kpm);
        assertClose("kpm output", out.output(), io.get("output"));
        assertClose("kpm weights", out.weights(), io.get("weights"));
        // the padded keys get no weight
        float[] w = out.weights().toArray(), flags = kpm.toArray();
        for (int i = 0; i < w.length; i++) if (flags[(i / 35) * 7 + i % 7] != 0f) assertThat(w[i]).as("weight %d", i).isZero();
        out.output().mul(io.get("g")).sum().backward();
        assertClose("kpm grad query", q.grad(), io.get("input_grad_query"));
        assertClose("kpm grad key", k.grad(), io.get("input_grad_key"));
        assertClose("kpm grad value", v.grad(), io.get("input_grad_value"));
        for (var p : m.namedParameters().entrySet()) assertClose("kpm grad " + p.getKey(), p.getValue().grad(), io.get("grad_" + p.getKey()));
        // every key of sample 1 padded: NaN there as in PyTorch, sample 0 unaffected
        Tensor nan = m.forward(q, k, v, io.get("attn_mask"), io.get("all_padded_mask"));
        float[] got = nan.toArray(), want = io.get("output_all_padded").toArray();
        for (int i = 0; i < got.length; i++) {
            if (Float.isNaN(want[i])) assertThat(got[i]).as("all padded element %d", i).isNaN();
            else assertThat((double) got[i]).as("all padded element %d", i).isCloseTo(want[i], org.assertj.core.data.Offset.offset(TOL));
        }
        assertThat(want).contains(Float.NaN);
        System.out.println("MultiheadAttention key padding mask: max |jgrad - torch| = " + maxDiff);
    }

    @Test
    void keyPaddingMaskForms() {
        MultiheadAttention m = new MultiheadAttention(8, 2, new SplittableRandom(9));
        Tensor x = Tensor.randn(new SplittableRandom(10), 2, 5, 8);
        Tensor ones = Tensor.of(new float[] {0, 0, 0, 1, 1, 0, 1, 0, 0, 0}, 2, 5);
        float inf = Float.NEGATIVE_INFINITY;
        Tensor additive = Tensor.of(new float[] {0, 0, 0, inf, inf, 0, inf, 0, 0, 0}, 2, 5);
        Tensor expected = m.forward(x, x, x, null, ones);
        // a 0 / -Infinity mask means the same as 0 / 1
        assertThat(m.forward(x, x, x, null, additive).toArray()).containsExactly(expected.toArray());
        // the same as the equivalent [N·heads, L, S] attnMask
        float[] big = new float[2 * 2 * 5 * 5];
        for (int i = 0; i < big.length; i++) big[i] = additive.toArray()[(i / 50) * 5 + i % 5];
        assertThat(m.forward(x, x, x, Tensor.of(big, 4, 5, 5)).toArray()).containsExactly(expected.toArray());
        // an all-zero mask changes nothing
        assertThat(m.forward(x, x, x, null, Tensor.zeros(2, 5)).toArray()).containsExactly(m.forward(x).toArray());
        // causal and padding together equal the explicit causal mask with padding
        assertThat(m.forwardCausal(x, ones).toArray()).containsExactly(m.forward(x, x, x, Attention.causalMask(5, 5), ones).toArray());
        // unbatched: a [S] mask
        assertThat(m.forward(x.narrow(0, 0, 1).squeeze(0), x.narrow(0, 0, 1).squeeze(0), x.narrow(0, 0, 1).squeeze(0), null, ones.narrow(0, 0, 1).squeeze(0)).toArray())
                .containsExactly(expected.narrow(0, 0, 1).squeeze(0).toArray());
    }

    @Test
    void sameBitsOnOneAndTwoThreads() throws Exception {
        assertThat(run(2)).containsExactly(run(1).toArray(float[][]::new));
    }

    /** Output and every gradient of the masked cross-attention and the causal self-attention. */
    private static List<float[]> run(int threads) throws Exception {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            List<float[]> all = new ArrayList<>();
            Map<String, Tensor> io = read("mha_io.safetensors");
            MultiheadAttention m = loaded("mha");
            Tensor q = io.get("query").requiresGrad(), k = io.get("key").requiresGrad(), v = io.get("value").requiresGrad();
            Tensor y = m.forward(q, k, v, io.get("attn_mask"));
            y.mul(io.get("g")).sum().backward();
            all.add(y.toArray());
            for (Tensor t : List.of(q, k, v)) all.add(t.grad().toArray());
            for (Tensor p : m.parameters()) all.add(p.grad().toArray());
            // a larger causal case, so the kernels split work across threads
            MultiheadAttention big = new MultiheadAttention(64, 4, new SplittableRandom(2));
            Tensor x = Tensor.randn(new SplittableRandom(3), 4, 48, 64).requiresGrad();
            Tensor z = big.forwardCausal(x);
            z.mul(z).sum().backward();
            all.add(z.toArray());
            all.add(x.grad().toArray());
            for (Tensor p : big.parameters()) all.add(p.grad().toArray());
            return all;
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void parametersHavePyTorchsNamesShapesAndInit() {
        MultiheadAttention m = new MultiheadAttention(12, 3, new SplittableRandom(4));
        var p = m.namedParameters();
        assertThat(p.keySet()).containsExactly("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias");
        assertThat(p.get("in_proj_weight").shape()).containsExactly(36, 12);
        assertThat(p.get("in_proj_bias").shape()).containsExactly(36);
        assertThat(p.get("out_proj.weight").shape()).containsExactly(12, 12);
        assertThat(p.get("out_proj.bias").shape()).containsExactly(12);
        assertThat(p.get("in_proj_bias").toArray()).containsOnly(0f);
        assertThat(p.get("out_proj.bias").toArray()).containsOnly(0f);
        // xavier-uniform on [3E, E]: bound sqrt(6 / (E + 3E)); Linear's default on out_proj: 1 / sqrt(E)
        float xavier = (float) Math.sqrt(6.0 / 48), linear = (float) (1 / Math.sqrt(12));
        assertThat(p.get("in_proj_weight").abs().max().item()).isLessThanOrEqualTo(xavier).isGreaterThan(0.8f * xavier);
        assertThat(p.get("out_proj.weight").abs().max().item()).isLessThanOrEqualTo(linear).isGreaterThan(0.8f * linear);
        // reproducible from the seed
        assertThat(new MultiheadAttention(12, 3, new SplittableRandom(4)).inProjWeight().toArray())
                .containsExactly(m.inProjWeight().toArray());
        MultiheadAttention noBias = new MultiheadAttention(12, 3, 0f, false, new SplittableRandom(4));
        assertThat(noBias.namedParameters().keySet()).containsExactly("in_proj_weight", "out_proj.weight");
        assertThat(noBias.forward(Tensor.ones(2, 3, 12)).shape()).containsExactly(2, 3, 12);
        assertThat(Init.fans(m.inProjWeight())).containsExactly(12, 36);
    }

    @Test
    void shapesUnbatchedAndWeights() {
        MultiheadAttention m = new MultiheadAttention(8, 2, new SplittableRandom(0));
        assertThat(m.forward(Tensor.zeros(3, 5, 8)).shape()).containsExactly(3, 5, 8);
        var out = m.forwardWithWeights(Tensor.zeros(3, 5, 8), Tensor.zeros(3, 7, 8), Tensor.zeros(3, 7, 8), null);
        assertThat(out.weights().shape()).containsExactly(3, 5, 7);
        assertThat(out.weights().sum(-1).toArray()).containsOnly(new float[] {1f}, within(1e-6f));
        Tensor x = Tensor.randn(new SplittableRandom(5), 4, 8);
        assertThat(m.forwardCausal(x).toArray()).containsExactly(m.forwardCausal(x.unsqueeze(0)).squeeze(0).toArray());
        // a [N·heads, L, S] mask equal to a broadcast [L, S] mask gives the same result
        Tensor q = Tensor.randn(new SplittableRandom(6), 3, 5, 8), kv = Tensor.randn(new SplittableRandom(7), 3, 7, 8);
        Tensor mask = Tensor.randn(new SplittableRandom(8), 5, 7);
        assertThat(m.forward(q, kv, kv, mask.unsqueeze(0).expand(6, 5, 7)).toArray()).containsExactly(m.forward(q, kv, kv, mask).toArray());
        // dropout only in training
        MultiheadAttention d = new MultiheadAttention(8, 2, 0.5f, true, new SplittableRandom(0));
        d.eval();
        assertThat(d.forward(q).toArray()).containsExactly(d.forward(q).toArray());
        d.train();
        assertThat(d.forward(q).toArray()).isNotEqualTo(d.forward(q).toArray());
    }

    @Test
    void errorsAreClear() {
        assertThatThrownBy(() -> new MultiheadAttention(10, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("embedDim 10 must be divisible by numHeads 3");
        MultiheadAttention m = new MultiheadAttention(8, 2, new SplittableRandom(0));
        assertThatThrownBy(() -> m.forward(Tensor.zeros(2, 5, 6)))
                .hasMessageContaining("expected last dimension 8").hasMessageContaining("query [2, 5, 6]");
        assertThatThrownBy(() -> m.forward(Tensor.zeros(2, 5, 8), Tensor.zeros(2, 7, 8), Tensor.zeros(2, 6, 8), null))
                .hasMessageContaining("value [2, 6, 8]");
        assertThatThrownBy(() -> m.forward(Tensor.zeros(2, 5, 8), Tensor.zeros(2, 7, 8), Tensor.zeros(2, 7, 8), Tensor.zeros(5, 5)))
                .hasMessageContaining("attnMask must be [L, S] = [5, 7] or [N·numHeads, L, S] = [4, 5, 7], got [5, 5]");
        assertThatThrownBy(() -> m.forward(Tensor.zeros(2, 5, 8), Tensor.zeros(2, 7, 8), Tensor.zeros(2, 7, 8), null, Tensor.zeros(2, 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MultiheadAttention").hasMessageContaining("keyPaddingMask must be [N, S] = [2, 7], got [2, 5]");
        assertThatThrownBy(() -> m.forwardCausal(Tensor.zeros(5, 8), Tensor.zeros(1, 5)))
                .hasMessageContaining("keyPaddingMask must be [S] = [5] for unbatched inputs, got [1, 5]");
        assertThatThrownBy(() -> m.forward(Tensor.zeros(8)))
                .hasMessageContaining("all [N, T, E] or all [T, E]");
    }
}
