package org.jgrad.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GradCheck for every differentiable op, one row per op and sample: the op, its inputs (several
 * shapes, broadcasting included) drawn away from kinks. PyTorch's OpInfo idea, in JUnit.
 */
class GradCheckOpsTest {

    /** Uniform in [lo, hi), requiring grad. */
    static Tensor u(long seed, float lo, float hi, int... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) r.nextDouble(lo, hi);
        return t.requiresGrad();
    }

    /** Values at least 0.1 away from zero (for relu, abs, sign kinks). */
    static Tensor awayFromZero(long seed, int... shape) {
        Tensor t = u(seed, 0.1f, 2f, shape);
        float[] d = t.data();
        SplittableRandom r = new SplittableRandom(seed + 1);
        for (int i = 0; i < d.length; i++) if (r.nextBoolean()) d[i] = -d[i];
        return t;
    }

    /** Distinct values spaced 0.05 apart in random order (for max/min without ties). */
    static Tensor distinct(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = -1f + 0.05f * i;
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = d.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            float x = d[i];
            d[i] = d[j];
            d[j] = x;
        }
        return t.requiresGrad();
    }

    static Tensor index(float[] v, int... shape) {
        return Tensor.of(v, shape);
    }

    static Arguments row(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        return Arguments.of(name, f, inputs);
    }

    static Stream<Arguments> ops() {
        return Stream.of(
                row("add", x -> x[0].add(x[1]), u(1, -2, 2, 3, 4), u(2, -2, 2, 3, 4)),
                row("add broadcast row", x -> x[0].add(x[1]), u(3, -2, 2, 3, 4), u(4, -2, 2, 4)),
                row("add broadcast both", x -> x[0].add(x[1]), u(5, -2, 2, 2, 1, 4), u(6, -2, 2, 3, 1)),
                row("add scalar", x -> x[0].add(2.5f), u(7, -2, 2, 5)),
                row("sub", x -> x[0].sub(x[1]), u(8, -2, 2, 2, 3), u(9, -2, 2, 2, 1)),
                row("sub scalar tensor", x -> x[0].sub(x[1]), u(10, -2, 2), u(11, -2, 2, 4)),
                row("mul", x -> x[0].mul(x[1]), u(12, -2, 2, 3, 4), u(13, -2, 2, 3, 4)),
                row("mul broadcast", x -> x[0].mul(x[1]), u(14, -2, 2, 4, 1), u(15, -2, 2, 1, 5)),
                row("div", x -> x[0].div(x[1]), u(16, -2, 2, 3, 4), u(17, 0.5f, 2, 3, 4)),
                row("div broadcast", x -> x[0].div(x[1]), u(18, -2, 2, 2, 3), u(19, 0.5f, 2, 3)),
                row("pow scalar", x -> x[0].pow(3f), u(20, -2, 2, 6)),
                row("pow scalar 0-d", x -> x[0].pow(3f), u(100, -2, 2)),
                row("pow scalar rank-3", x -> x[0].pow(2.5f), u(101, 0.5f, 2, 2, 3, 2)),
                row("pow tensor", x -> x[0].pow(x[1]), u(21, 0.5f, 2, 3, 2), u(22, -1.5f, 1.5f, 2)),
                row("maximum", x -> x[0].maximum(x[1]), u(23, -2, 2, 4, 3), u(24, -2, 2, 3)),
                row("minimum", x -> x[0].minimum(x[1]), u(25, -2, 2, 4, 3), u(26, -2, 2, 4, 3)),
                row("minimum broadcast", x -> x[0].minimum(x[1]), u(102, -2, 2, 4, 3), u(103, -2, 2, 3)),
                row("neg", x -> x[0].neg(), u(27, -2, 2, 3, 3)),
                row("neg 0-d", x -> x[0].neg(), u(104, -2, 2)),
                row("neg rank-3", x -> x[0].neg(), u(105, -2, 2, 2, 3, 2)),
                row("exp", x -> x[0].exp(), u(28, -2, 2, 2, 5)),
                row("exp 0-d", x -> x[0].exp(), u(106, -2, 2)),
                row("exp rank-3", x -> x[0].exp(), u(107, -2, 2, 3, 2, 2)),
                row("log", x -> x[0].log(), u(29, 0.2f, 3, 7)),
                row("log 0-d", x -> x[0].log(), u(108, 0.2f, 3)),
                row("log rank-3", x -> x[0].log(), u(109, 0.2f, 3, 2, 2, 3)),
                row("sqrt", x -> x[0].sqrt(), u(30, 0.2f, 3, 2, 3)),
                row("sqrt 0-d", x -> x[0].sqrt(), u(110, 0.2f, 3)),
                row("sqrt rank-3", x -> x[0].sqrt(), u(111, 0.2f, 3, 2, 3, 2)),
                row("abs", x -> x[0].abs(), awayFromZero(31, 9)),
                row("abs 0-d", x -> x[0].abs(), awayFromZero(112)),
                row("abs rank-3", x -> x[0].abs(), awayFromZero(113, 3, 2, 2)),
                row("sin", x -> x[0].sin(), u(32, -3, 3, 4, 2)),
                row("sin 0-d", x -> x[0].sin(), u(114, -3, 3)),
                row("sin rank-3", x -> x[0].sin(), u(115, -3, 3, 2, 2, 3)),
                row("cos", x -> x[0].cos(), u(33, -3, 3, 4, 2)),
                row("cos 0-d", x -> x[0].cos(), u(116, -3, 3)),
                row("cos rank-3", x -> x[0].cos(), u(117, -3, 3, 3, 2, 2)),
                row("tanh", x -> x[0].tanh(), u(34, -2, 2, 3, 4)),
                row("tanh 0-d", x -> x[0].tanh(), u(118, -2, 2)),
                row("tanh rank-3", x -> x[0].tanh(), u(119, -2, 2, 2, 3, 2)),
                row("sigmoid", x -> x[0].sigmoid(), u(35, -4, 4, 3, 4)),
                row("sigmoid 0-d", x -> x[0].sigmoid(), u(120, -4, 4)),
                row("sigmoid rank-3", x -> x[0].sigmoid(), u(121, -4, 4, 2, 2, 3)),
                row("relu", x -> x[0].relu(), awayFromZero(36, 3, 5)),
                row("relu 0-d", x -> x[0].relu(), u(122, 0.1f, 2)),
                row("relu rank-3", x -> x[0].relu(), awayFromZero(123, 2, 3, 2)),
                row("clamp", x -> x[0].clamp(-0.5f, 0.7f), awayClamp(8)),
                row("clamp 0-d", x -> x[0].clamp(-0.5f, 0.7f), u(124, -0.4f, 0.6f)),
                row("clamp rank-3", x -> x[0].clamp(-0.5f, 0.7f), awayClamp(2, 2, 2)),
                row("sum all", x -> x[0].sum(), u(38, -2, 2, 3, 4)),
                row("sum dim", x -> x[0].sum(1), u(39, -2, 2, 3, 4, 2)),
                row("sum dims keep", x -> x[0].sum(new int[] {0, 2}, true), u(40, -2, 2, 3, 4, 2)),
                row("mean", x -> x[0].mean(), u(41, -2, 2, 3, 4)),
                row("mean dim", x -> x[0].mean(-1, true), u(42, -2, 2, 3, 4)),
                row("max all", x -> x[0].max(), distinct(43, 3, 4)),
                row("max dim", x -> x[0].max(1), distinct(44, 3, 4)),
                row("max dim keep", x -> x[0].max(0, true), distinct(125, 3, 4)),
                row("min all", x -> x[0].min(), distinct(126, 3, 4)),
                row("min dim", x -> x[0].min(1), distinct(127, 3, 4)),
                row("min dims", x -> x[0].min(new int[] {0, 2}, false), distinct(45, 2, 3, 4)),
                row("var", x -> x[0].var(), u(46, -2, 2, 10)),
                row("var dim", x -> x[0].var(new int[] {1}, 0, true), u(47, -2, 2, 3, 5)),
                row("std all", x -> x[0].std(), u(128, -2, 2, 3, 4)),
                row("std dim", x -> x[0].std(0), u(48, -2, 2, 6, 2)),
                row("softmax last", x -> x[0].softmax(-1), u(49, -3, 3, 3, 5)),
                row("softmax dim0", x -> x[0].softmax(0), u(50, -3, 3, 4, 3)),
                row("logSoftmax", x -> x[0].logSoftmax(1), u(51, -3, 3, 2, 6)),
                row("logSoftmax middle", x -> x[0].logSoftmax(1), u(52, -3, 3, 2, 3, 4)),
                row("logSumExp", x -> x[0].logSumExp(1), u(53, -3, 3, 3, 4)),
                row("logSumExp keep", x -> x[0].logSumExp(0, true), u(54, -3, 3, 3, 4)),
                row("reshape", x -> x[0].reshape(4, -1).mul(x[0].reshape(4, 3)), u(55, -2, 2, 2, 6)),
                row("flatten", x -> x[0].flatten(1, 2).exp(), u(56, -1, 1, 2, 3, 2)),
                row("squeeze/unsqueeze", x -> x[0].unsqueeze(0).mul(x[1]).unsqueeze(2).squeeze(), u(57, -2, 2, 3), u(58, -2, 2, 4, 1)),
                row("transpose", x -> x[0].transpose(0, 2).mul(x[1]), u(59, -2, 2, 2, 3, 4), u(60, -2, 2, 4, 3, 2)),
                row("permute", x -> x[0].permute(1, 2, 0).exp(), u(61, -1, 1, 2, 3, 4)),
                row("T", x -> x[0].T().matmul(x[1]), u(62, -2, 2, 3, 4), u(63, -2, 2, 3, 2)),
                row("cat", x -> Tensor.cat(1, x[0], x[1]).tanh(), u(64, -2, 2, 2, 3), u(65, -2, 2, 2, 2)),
                row("stack", x -> Tensor.stack(0, x[0], x[1]).mul(Tensor.arange(2).reshape(2, 1)), u(66, -2, 2, 3), u(67, -2, 2, 3)),
                row("narrow", x -> x[0].narrow(1, 1, 2).exp(), u(68, -1, 1, 3, 4)),
                row("indexSelect", x -> x[0].indexSelect(0, index(new float[] {2, 0, 2})), u(69, -2, 2, 3, 4)),
                row("gather", x -> x[0].gather(1, index(new float[] {1, 0, 3, 3, 2, 1}, 3, 2)), u(70, -2, 2, 3, 4)),
                row("expand", x -> x[0].expand(3, 4).mul(x[1]), u(71, -2, 2, 4), u(72, -2, 2, 3, 4)),
                row("matmul 2d", x -> x[0].matmul(x[1]), u(73, -1, 1, 3, 5), u(74, -1, 1, 5, 4)),
                row("matmul batched broadcast", x -> x[0].matmul(x[1]), u(75, -1, 1, 2, 3, 5), u(76, -1, 1, 5, 4)),
                row("matmul batch dims broadcast", x -> x[0].matmul(x[1]), u(77, -1, 1, 2, 1, 3, 2), u(78, -1, 1, 3, 2, 4)),
                row("matmul vec-mat", x -> x[0].matmul(x[1]), u(79, -1, 1, 3), u(80, -1, 1, 3, 4)),
                row("matmul mat-vec", x -> x[0].matmul(x[1]), u(81, -1, 1, 2, 3), u(82, -1, 1, 3)),
                row("matmul dot", x -> x[0].matmul(x[1]), u(83, -1, 1, 5), u(84, -1, 1, 5)),
                row("composite mlp", x -> x[0].matmul(x[1]).add(x[2]).tanh().matmul(x[3]).logSoftmax(1),
                        u(85, -1, 1, 4, 3), u(86, -1, 1, 3, 5), u(87, -1, 1, 5), u(88, -1, 1, 5, 2)),
                row("linear", x -> Functional.linear(x[0], x[1], x[2]), u(92, -1, 1, 4, 3), u(93, -1, 1, 5, 3), u(94, -1, 1, 5)),
                row("linear 3-D no bias", x -> Functional.linear(x[0], x[1], null), u(95, -1, 1, 2, 3, 4), u(96, -1, 1, 2, 4)),
                row("linear+relu fused", x -> Functional.linearRelu(x[0], x[1], x[2]), u(140, -1, 1, 4, 3), u(141, -1, 1, 5, 3), u(142, -1, 1, 5)),
                row("linear+relu fused, no bias", x -> Functional.linearRelu(x[0], x[1], null), u(143, -1, 1, 2, 3, 4), u(144, -1, 1, 2, 4)),
                row("where", x -> Tensor.where(index(new float[] {1, 0, 1}), x[0], x[1]), u(90, -2, 2, 2, 3), u(91, -2, 2, 1)),
                row("tensor used twice", x -> x[0].mul(x[0]).add(x[0].sin()), u(89, -2, 2, 6)));
    }

    /** Eight values on both sides of clamp(-0.5, 0.7)'s kinks and between them, in {@code shape}. */
    static Tensor awayClamp(int... shape) {
        float[] v = {-1.2f, -0.8f, -0.3f, 0.1f, 0.5f, 0.9f, 1.5f, -0.65f};
        return Tensor.of(v, shape).requiresGrad();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void gradientsMatchFiniteDifferences(String name, Function<Tensor[], Tensor> f, Tensor[] inputs) {
        GradCheck.Result r = GradCheck.check(name, f, inputs);
        assertThat(r.ok()).as(r.toString()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void tangentsMatchFiniteDifferencesAndReverseMode(String name, Function<Tensor[], Tensor> f, Tensor[] inputs) {
        GradCheck.TangentResult r = GradCheck.checkTangents(name, f, inputs);
        assertThat(r.ok()).as(r.toString()).isTrue();
    }
}
