package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.jgrad.core.Parallel;
import org.jgrad.core.Tensor;
import org.jgrad.io.SafeTensors;
import org.junit.jupiter.api.Test;

/**
 * TransformerEncoderLayer against PyTorch: the state dicts, inputs, masks, outputs and gradients
 * of sum(output * g) in test resources were written by {@code attention/make_transformer.py} with
 * torch 1.13 (dModel 8, 2 heads, dimFeedforward 16, dropout 0, batch_first).
 */
class TransformerEncoderLayerTest {

    /** As MultiheadAttentionTest. */
    private static final double TOL = 1e-5;
    private static double maxDiff;

    private static Map<String, Tensor> read(String file) throws Exception {
        Path p = Path.of(TransformerEncoderLayerTest.class.getResource("/attention/" + file).toURI());
        return SafeTensors.read(p).tensors();
    }

    private static void assertClose(String what, Tensor actual, Tensor expected) {
        assertThat(actual.shape()).as(what).containsExactly(expected.shape());
        float[] a = actual.toArray(), e = expected.toArray();
        for (int i = 0; i < a.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) a[i] - e[i]));
            assertThat((double) a[i]).as("%s element %d", what, i).isCloseTo(e[i], Offset.offset(TOL));
        }
    }

    private static TransformerEncoderLayer layer(boolean normFirst, String activation, long seed) {
        return new TransformerEncoderLayer(8, 2, 16, 0f, activation, 1e-5f, true, normFirst, new SplittableRandom(seed));
    }

    private static TransformerEncoderLayer loaded(String name, boolean normFirst, String activation) throws Exception {
        TransformerEncoderLayer m = layer(normFirst, activation, 1);
        m.loadStateDict(read(name + ".safetensors"));
        return m;
    }

    @Test
    void postNormReluWithKeyPaddingMaskEqualsPyTorch() throws Exception {
        Map<String, Tensor> io = read("enc_post_relu_io.safetensors");
        TransformerEncoderLayer m = loaded("enc_post_relu", false, "relu");
        maxDiff = 0;
        Tensor src = io.get("src").requiresGrad();
        Tensor y = m.forward(src, null, io.get("src_key_padding_mask"));
        assertClose("post output", y, io.get("output"));
        y.mul(io.get("g")).sum().backward();
        assertClose("post grad src", src.grad(), io.get("input_grad_src"));
        for (var p : m.namedParameters().entrySet()) assertClose("post grad " + p.getKey(), p.getValue().grad(), io.get("grad_" + p.getKey()));
        System.out.println("TransformerEncoderLayer post-norm relu + key padding: max |jgrad - torch| = " + maxDiff);
    }

    @Test
    void preNormGeluCausalEqualsPyTorch() throws Exception {
        Map<String, Tensor> io = read("enc_pre_gelu_causal_io.safetensors");
        TransformerEncoderLayer m = loaded("enc_pre_gelu_causal", true, "gelu");
        maxDiff = 0;
        Tensor src = io.get("src").requiresGrad();
        Tensor y = m.forwardCausal(src);
        assertClose("pre output", y, io.get("output"));
        // the stored mask (generate_square_subsequent_mask) gives the same bits
        assertThat(m.forward(src, io.get("src_mask"), null).toArray()).containsExactly(y.toArray());
        y.mul(io.get("g")).sum().backward();
        assertClose("pre grad src", src.grad(), io.get("input_grad_src"));
        for (var p : m.namedParameters().entrySet()) assertClose("pre grad " + p.getKey(), p.getValue().grad(), io.get("grad_" + p.getKey()));
        System.out.println("TransformerEncoderLayer pre-norm gelu causal: max |jgrad - torch| = " + maxDiff);
    }

    @Test
    void sameBitsOnOneAndTwoThreads() throws Exception {
        assertThat(run(2)).containsExactly(run(1).toArray(float[][]::new));
    }

    /** Output and every gradient of both reference cases and of a larger causal pre-norm layer. */
    private static List<float[]> run(int threads) throws Exception {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            List<float[]> all = new ArrayList<>();
            Map<String, Tensor> io = read("enc_post_relu_io.safetensors");
            TransformerEncoderLayer m = loaded("enc_post_relu", false, "relu");
            Tensor src = io.get("src").requiresGrad();
            Tensor y = m.forward(src, null, io.get("src_key_padding_mask"));
            y.mul(io.get("g")).sum().backward();
            all.add(y.toArray());
            all.add(src.grad().toArray());
            for (Tensor p : m.parameters()) all.add(p.grad().toArray());
            // larger, so the kernels split work across threads
            TransformerEncoderLayer big = new TransformerEncoderLayer(64, 4, 128, 0f, "gelu", 1e-5f, true, true, new SplittableRandom(2));
            Tensor x = Tensor.randn(new SplittableRandom(3), 4, 48, 64).requiresGrad();
            float[] pad = new float[4 * 48];
            for (int t = 40; t < 48; t++) pad[48 + t] = 1f;
            Tensor z = big.forwardCausal(x, Tensor.of(pad, 4, 48));
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
        TransformerEncoderLayer m = new TransformerEncoderLayer(12, 3, 20, 0.1f, "relu", 1e-5f, true, false, new SplittableRandom(4));
        var p = m.namedParameters();
        assertThat(p.keySet()).containsExactly("self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight",
                "self_attn.out_proj.bias", "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight",
                "norm1.bias", "norm2.weight", "norm2.bias");
        assertThat(m.stateDict().keySet()).containsExactlyElementsOf(p.keySet());
        assertThat(m.namedChildren().keySet()).containsExactly("self_attn", "linear1", "dropout", "linear2", "norm1", "norm2",
                "dropout1", "dropout2");
        assertThat(p.get("linear1.weight").shape()).containsExactly(20, 12);
        assertThat(p.get("linear2.weight").shape()).containsExactly(12, 20);
        assertThat(p.get("self_attn.in_proj_weight").shape()).containsExactly(36, 12);
        assertThat(p.get("norm1.weight").toArray()).containsOnly(1f);
        assertThat(p.get("norm2.bias").toArray()).containsOnly(0f);
        assertThat(p.get("self_attn.in_proj_bias").toArray()).containsOnly(0f);
        // Linear's default init: U(-1/sqrt(in), 1/sqrt(in)) for weight and bias
        float b1 = (float) (1 / Math.sqrt(12)), b2 = (float) (1 / Math.sqrt(20));
        assertThat(p.get("linear1.weight").abs().max().item()).isLessThanOrEqualTo(b1).isGreaterThan(0.8f * b1);
        assertThat(p.get("linear2.weight").abs().max().item()).isLessThanOrEqualTo(b2).isGreaterThan(0.8f * b2);
        assertThat(p.get("linear2.bias").abs().max().item()).isLessThanOrEqualTo(b2).isGreaterThan(0f);
        float xavier = (float) Math.sqrt(6.0 / 48);
        assertThat(p.get("self_attn.in_proj_weight").abs().max().item()).isLessThanOrEqualTo(xavier).isGreaterThan(0.8f * xavier);
        // reproducible from the seed
        assertThat(new TransformerEncoderLayer(12, 3, 20, 0.1f, "relu", 1e-5f, true, false, new SplittableRandom(4))
                .linear2().weight().toArray()).containsExactly(m.linear2().weight().toArray());
        // PyTorch's defaults
        TransformerEncoderLayer d = new TransformerEncoderLayer(8, 2, new SplittableRandom(0));
        assertThat(d.linear1().weight().shape()).containsExactly(2048, 8);
        assertThat(d.describe()).isEqualTo("TransformerEncoderLayer(dModel=8, nhead=2, dimFeedforward=2048, dropout=0.1, "
                + "activation=relu, layerNormEps=1.0E-5, normFirst=false)");
    }

    @Test
    void shapesUnbatchedMasksAndDropout() {
        TransformerEncoderLayer m = layer(false, "relu", 5);
        Tensor x = Tensor.randn(new SplittableRandom(6), 3, 5, 8);
        assertThat(m.forward(x).shape()).containsExactly(3, 5, 8);
        // unbatched equals batched with N = 1, with and without masks
        Tensor one = x.narrow(0, 0, 1);
        Tensor pad = Tensor.of(new float[] {0, 0, 0, 1, 1}, 1, 5);
        assertThat(m.forward(one.squeeze(0), null, pad.squeeze(0)).toArray()).containsExactly(m.forward(one, null, pad).toArray());
        TransformerEncoderLayer pre = layer(true, "gelu", 7);
        assertThat(pre.forwardCausal(one.squeeze(0)).toArray()).containsExactly(pre.forwardCausal(one).toArray());
        // a padded position changes nothing for the others when it is padded, and the causal form
        // ignores later positions: the first 3 outputs of a causal layer do not depend on positions 3, 4
        Tensor changed = Tensor.of(x.toArray().clone(), 3, 5, 8);
        for (int i = 3 * 8; i < 5 * 8; i++) changed.data()[i] += 1f;
        assertThat(pre.forwardCausal(changed).narrow(0, 0, 1).narrow(1, 0, 3).toArray())
                .containsExactly(pre.forwardCausal(x).narrow(0, 0, 1).narrow(1, 0, 3).toArray());
        Tensor pad3 = Tensor.of(new float[] {0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 3, 5);
        assertThat(m.forward(changed, null, pad3).narrow(0, 0, 1).narrow(1, 0, 3).toArray())
                .containsExactly(m.forward(x, null, pad3).narrow(0, 0, 1).narrow(1, 0, 3).toArray());
        // every key of a sample padded: NaN rows there, as in PyTorch's reference path
        Tensor allPad = Tensor.of(new float[] {1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 3, 5);
        Tensor nan = m.forward(x, null, allPad);
        assertThat(nan.narrow(0, 0, 1).toArray()).containsOnly(Float.NaN);
        assertThat(nan.narrow(0, 1, 2).toArray()).doesNotContain(Float.NaN);
        // dropout only in training
        TransformerEncoderLayer d = new TransformerEncoderLayer(8, 2, 16, 0.5f, "relu", 1e-5f, true, false, new SplittableRandom(0));
        d.eval();
        assertThat(d.forward(x).toArray()).containsExactly(d.forward(x).toArray());
        d.train();
        assertThat(d.forward(x).toArray()).isNotEqualTo(d.forward(x).toArray());
    }

    @Test
    void javadocExamples() {
        var layer = new TransformerEncoderLayer(8, 2, 16, 0f, "gelu", 1e-5f, true, true, new SplittableRandom(0));
        assertThat(layer.forwardCausal(Tensor.zeros(3, 5, 8)).shape()).containsExactly(3, 5, 8);
        assertThat(layer.stateDict().keySet().toString()).isEqualTo("[self_attn.in_proj_weight, self_attn.in_proj_bias, "
                + "self_attn.out_proj.weight, self_attn.out_proj.bias, linear1.weight, linear1.bias, linear2.weight, linear2.bias, "
                + "norm1.weight, norm1.bias, norm2.weight, norm2.bias]");
        var mha = new MultiheadAttention(8, 2, new SplittableRandom(0));
        var pad = Tensor.of(new float[] {0, 0, 0, 1, 1, 0, 0, 0, 0, 0}, 2, 5);
        assertThat(mha.forward(Tensor.zeros(2, 5, 8), Tensor.zeros(2, 5, 8), Tensor.zeros(2, 5, 8), null, pad).shape())
                .containsExactly(2, 5, 8);
        assertThatThrownBy(() -> mha.selfAttention(Tensor.zeros(2, 5, 8), Attention.causalMask(5, 5), pad, true))
                .hasMessageContaining("cannot be combined with the causal mask");
    }

    @Test
    void errorsNameTheLayerAndShapes() {
        assertThatThrownBy(() -> new TransformerEncoderLayer(10, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TransformerEncoderLayer: dModel 10 must be divisible by nhead 3");
        assertThatThrownBy(() -> new TransformerEncoderLayer(8, 2, 16, 0f, "tanh", 1e-5f, true, false, new SplittableRandom(0)))
                .hasMessageContaining("TransformerEncoderLayer: activation should be \"relu\" or \"gelu\", got \"tanh\"");
        assertThatThrownBy(() -> new TransformerEncoderLayer(8, 2, 16, 0f, "relu", 1e-5f, false, false, new SplittableRandom(0)))
                .hasMessageContaining("only batchFirst = true");
        TransformerEncoderLayer m = layer(false, "relu", 0);
        assertThatThrownBy(() -> m.forward(Tensor.zeros(2, 5, 8), null, Tensor.zeros(2, 6)))
                .hasMessageContaining("TransformerEncoderLayer(")
                .hasMessageContaining("srcKeyPaddingMask must be [N, S] = [2, 5] for src [2, 5, 8], got [2, 6]");
        assertThatThrownBy(() -> m.forward(Tensor.zeros(2, 5, 8), null, Tensor.zeros(5, 2)))
                .hasMessageContaining("got [5, 2]");
        assertThatThrownBy(() -> m.forward(Tensor.zeros(2, 5, 8), Tensor.zeros(5, 6), null))
                .hasMessageContaining("srcMask must be [S, S] = [5, 5] or [N·nhead, S, S] = [4, 5, 5] for src [2, 5, 8], got [5, 6]");
        assertThatThrownBy(() -> m.forward(Tensor.zeros(2, 5, 6)))
                .hasMessageContaining("expected src [N, S, 8] or [S, 8], got [2, 5, 6]");
    }

    /**
     * The way back to PyTorch: the state dict jgrad writes of a layer loaded from torch's file holds
     * exactly torch's names, shapes and F32 values (and {@code format: pt}). The test also leaves a
     * jgrad-initialised pre-norm GELU layer, its input and its causal output under
     * target/attention-roundtrip, which {@code attention/check_jgrad_files.py} loads into
     * {@code nn.TransformerEncoderLayer} and runs (needs torch; see that script).
     */
    @Test
    void stateDictWrittenByJgradIsTorchs() throws Exception {
        for (String name : new String[] {"enc_post_relu", "enc_pre_gelu_causal"}) {
            boolean pre = name.startsWith("enc_pre");
            TransformerEncoderLayer m = loaded(name, pre, pre ? "gelu" : "relu");
            Path dir = Path.of("target", "attention-roundtrip");
            java.nio.file.Files.createDirectories(dir);
            Path written = dir.resolve(name + ".safetensors");
            org.jgrad.io.ModelFiles.save(m, written);
            SafeTensors.Contents back = SafeTensors.read(written);
            Map<String, Tensor> torch = read(name + ".safetensors");
            assertThat(back.tensors().keySet()).as(name).containsExactlyInAnyOrderElementsOf(torch.keySet());
            for (String key : torch.keySet()) {
                assertThat(back.tensors().get(key).shape()).as(key).containsExactly(torch.get(key).shape());
                assertThat(back.tensors().get(key).toArray()).as(key).containsExactly(torch.get(key).toArray());
            }
            assertThat(back.metadata()).containsEntry("format", "pt");
        }
        // a layer of jgrad's own initialisation for the check in PyTorch
        TransformerEncoderLayer own = layer(true, "gelu", 7);
        Tensor src = Tensor.randn(new SplittableRandom(8), 2, 6, 8);
        Path dir = Path.of("target", "attention-roundtrip");
        org.jgrad.io.ModelFiles.save(own, dir.resolve("jgrad_pre_gelu.safetensors"));
        SafeTensors.write(dir.resolve("jgrad_pre_gelu_io.safetensors"),
                Map.of("src", src, "output", own.forwardCausal(src)), Map.of());
    }
}
