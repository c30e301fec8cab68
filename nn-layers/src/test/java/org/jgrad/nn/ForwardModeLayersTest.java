package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jgrad.core.Autograd;
import org.jgrad.core.GradCheck;
import org.jgrad.core.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Forward mode through whole layers and losses: the tangent of a module's output for a direction
 * of its input, against central differences and against reverse mode (GradCheck.checkTangents).
 * The modules' parameters stay fixed here; f reads only its argument array.
 */
class ForwardModeLayersTest {

    static Tensor x(long seed, int... shape) {
        return Tensor.randn(new SplittableRandom(seed), shape).requiresGrad();
    }

    static Arguments row(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        return Arguments.of(name, f, inputs);
    }

    static Stream<Arguments> layers() {
        SplittableRandom rng = new SplittableRandom(11);
        Module mlp = new Sequential(new Linear(6, 8, rng), new Tanh(), new Linear(8, 3, rng), new LogSoftmax(1));
        Module cnn = new Sequential(new Conv2d(2, 4, 3, 1, 1, rng), new Tanh(), new AvgPool2d(2), new Flatten(),
                new Linear(4 * 3 * 3, 5, rng));
        Module bnTrain = new BatchNorm1d(4), bnEval = new BatchNorm1d(4).eval();
        Module ln = new LayerNorm(new int[] {5});
        RNN rnnTanh = new RNN(3, 4, 2, RNN.Nonlinearity.TANH, true, new SplittableRandom(21));
        RNN rnnRelu = new RNN(3, 4, 1, RNN.Nonlinearity.RELU, true, new SplittableRandom(22));
        GRU gru = new GRU(3, 4, 2, true, new SplittableRandom(23));
        GRU gruNoBias = new GRU(3, 4, 1, false, new SplittableRandom(24));
        LSTM lstm = new LSTM(3, 4, 2, true, new SplittableRandom(25));
        GRUCell gruCell = new GRUCell(3, 4, true, new SplittableRandom(26));
        LSTMCell lstmCell = new LSTMCell(3, 4, true, new SplittableRandom(27));
        Tensor labels = Tensor.of(new float[] {2, 0, 1, 2});
        Tensor targets = Tensor.rand(new SplittableRandom(3), 4, 3);
        return Stream.of(
                row("mlp", in -> mlp.forward(in[0]), x(1, 4, 6)),
                row("cnn", in -> cnn.forward(in[0]), x(2, 2, 2, 6, 6)),
                row("batchnorm1d training", in -> bnTrain.forward(in[0]), x(3, 6, 4)),
                row("batchnorm1d eval", in -> bnEval.forward(in[0]), x(4, 6, 4)),
                row("layernorm", in -> ln.forward(in[0]), x(5, 3, 5)),
                row("gelu softplus mish elu", in -> new GELU().forward(new Softplus().forward(new Mish().forward(new ELU().forward(in[0])))),
                        x(6, 3, 4)),
                row("cross-entropy", in -> new CrossEntropyLoss().forward(in[0], labels), x(7, 4, 3)),
                row("bce with logits", in -> new BCEWithLogitsLoss().forward(in[0], targets), x(8, 4, 3)),
                row("mse", in -> new MSELoss().forward(in[0], in[1]), x(9, 4, 3), x(10, 4, 3)),
                row("huber", in -> new HuberLoss(Reduction.SUM, 0.7f).forward(in[0], in[1]), x(11, 4, 3), x(12, 4, 3)),
                row("rnn tanh, 2 layers (x, h0)", in -> rnnTanh.forward(in[0], in[1]).outputs(), x(13, 2, 5, 3), x(14, 2, 2, 4)),
                row("rnn relu", in -> rnnRelu.forward(in[0]), x(15, 2, 4, 3)),
                row("gru, 2 layers (x, h0)", in -> gru.forward(in[0], in[1]).outputs(), x(16, 2, 5, 3), x(17, 2, 2, 4)),
                row("gru without bias", in -> gruNoBias.forward(in[0]), x(18, 2, 4, 3)),
                row("lstm, 2 layers (x, h0, c0)", in -> lstm.forward(in[0], in[1], in[2]).outputs(), x(19, 2, 5, 3), x(20, 2, 2, 4),
                        x(21, 2, 2, 4)),
                row("lstm last cell state", in -> lstm.forward(in[0], in[1], in[2]).cN(), x(22, 2, 3, 3), x(23, 2, 2, 4),
                        x(24, 2, 2, 4)),
                row("gru cell", in -> gruCell.forward(in[0], in[1]), x(25, 3, 3), x(26, 3, 4)),
                row("lstm cell", in -> lstmCell.forward(in[0], in[1], in[2]).h(), x(27, 3, 3), x(28, 3, 4), x(29, 3, 4)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void tangentsMatchFiniteDifferencesAndReverseMode(String name, Function<Tensor[], Tensor> f, Tensor[] inputs) {
        GradCheck.TangentResult r = GradCheck.checkTangents(name, f, inputs);
        assertThat(r.ok()).as(r.toString()).isTrue();
    }

    @Test
    void maxPoolingAndReluCarryTangentsThroughTheirChosenElements() {
        // away from kinks and ties: distinct values, none near 0
        float[] v = new float[2 * 1 * 4 * 4];
        for (int i = 0; i < v.length; i++) v[i] = (i % 2 == 0 ? 1 : -1) * (0.5f + 0.1f * ((i * 7) % v.length));
        Tensor img = Tensor.of(v, 2, 1, 4, 4);
        Module net = new Sequential(new ReLU(), new MaxPool2d(2));
        Tensor direction = Tensor.randn(new SplittableRandom(9), 2, 1, 4, 4);
        Tensor[] r = Autograd.jvp(in -> net.forward(in[0]), new Tensor[] {img}, new Tensor[] {direction});
        Tensor[] grads = Autograd.vjp(in -> net.forward(in[0]), new Tensor[] {img}, Tensor.ones(2, 1, 2, 2));
        // each output's tangent is the direction at its window's maximum, which is where the gradient went
        float[] d = direction.toArray(), g = grads[1].toArray(), t = r[1].toArray();
        double picked = 0;
        for (int i = 0; i < d.length; i++) picked += g[i] * d[i];
        double sum = 0;
        for (float ti : t) sum += ti;
        assertThat(sum).isCloseTo(picked, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void jvpIsTheSameWithOrWithoutAGraphOnTheParameters() {
        SplittableRandom rng = new SplittableRandom(4);
        Module mlp = new Sequential(new Linear(5, 7, rng), new ReLU(), new Linear(7, 2, rng));
        Tensor input = Tensor.randn(new SplittableRandom(5), 3, 5), dir = Tensor.randn(new SplittableRandom(6), 3, 5);
        Tensor[] r = Autograd.jvp(in -> mlp.forward(in[0]), new Tensor[] {input}, new Tensor[] {dir});
        Tensor j = Autograd.jacobian(in -> mlp.forward(in), input, Autograd.Sweep.REVERSE);   // [3, 2, 3, 5]
        float[] jj = j.toArray(), dd = dir.toArray(), t = r[1].toArray();
        for (int o = 0; o < 6; o++) {
            double s = 0;
            for (int i = 0; i < 15; i++) s += jj[o * 15 + i] * dd[i];
            assertThat(t[o]).isCloseTo((float) s, org.assertj.core.data.Offset.offset(1e-5f));
        }
    }
}
