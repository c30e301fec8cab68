package org.jgrad.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.BinaryOperator;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op's error messages, one row per misuse: the call and a fragment of the message it must
 * raise (the op, the shapes, and the dim and rank where a dim is wrong). PyTorch's OpInfo error
 * inputs, in JUnit.
 */
class ErrorMessagesTest {

    private static final Tensor A = Tensor.ones(2, 3), FOUR = Tensor.ones(4), IDX = Tensor.of(new float[] {0});

    static Arguments row(String name, ThrowingCallable call, String message) {
        return Arguments.of(name, call, message);
    }

    /** "op: dim d is out of range …" for A, of shape [2, 3]. */
    static String badDim(String op, int dim) {
        return op + ": dim " + dim + " is out of range for a tensor of rank 2, shape [2, 3] (expected -2 to 1)";
    }

    /** A binary op or comparison on [2, 3] and [4], which do not broadcast. */
    static Arguments binary(String op, BinaryOperator<Tensor> f) {
        return row(op + " shapes", () -> f.apply(A, FOUR), op + ": shapes [2, 3] and [4] cannot be broadcast (dimension 1: 3 vs 4)");
    }

    static Stream<Arguments> misuses() {
        return Stream.of(
                binary("sub", Tensor::sub), binary("mul", Tensor::mul), binary("div", Tensor::div), binary("pow", Tensor::pow),
                binary("maximum", Tensor::maximum), binary("minimum", Tensor::minimum),
                binary("eq", Tensor::eq), binary("ne", Tensor::ne), binary("lt", Tensor::lt),
                binary("le", Tensor::le), binary("gt", Tensor::gt), binary("ge", Tensor::ge),
                row("where shapes", () -> Tensor.where(Tensor.ones(2, 1), Tensor.ones(1, 3), FOUR),
                        "where: shapes [2, 1], [1, 3] and [4] cannot be broadcast (dimension 1: 1 vs 3 vs 4)"),

                row("softmax dim", () -> A.softmax(2), badDim("softmax", 2)),
                row("logSoftmax dim", () -> A.logSoftmax(-3), badDim("logSoftmax", -3)),
                row("logSumExp dim", () -> A.logSumExp(2), badDim("logSumExp", 2)),
                row("mean dim", () -> A.mean(2), badDim("mean", 2)),
                row("max dim", () -> A.max(-3), badDim("max", -3)),
                row("min dim", () -> A.min(2), badDim("min", 2)),
                row("var dim", () -> A.var(2), badDim("var", 2)),
                row("squeeze dim", () -> A.squeeze(2), badDim("squeeze", 2)),
                row("narrow dim", () -> A.narrow(2, 0, 1), badDim("narrow", 2)),
                row("cat dim", () -> Tensor.cat(2, A, A), badDim("cat", 2)),
                row("indexSelect dim", () -> A.indexSelect(2, IDX), badDim("indexSelect", 2)),
                row("gather dim", () -> A.gather(-3, Tensor.zeros(2, 3)), badDim("gather", -3)),
                row("0-d softmax dim", () -> Tensor.scalar(1f).softmax(1),
                        "softmax: dim 1 is out of range for a tensor of rank 0, shape [] (expected -1 to 0)"),
                row("unsqueeze dim", () -> A.unsqueeze(3),
                        "unsqueeze: dim 3 is out of range for a tensor of rank 2, shape [2, 3] (expected -3 to 2)"),
                row("stack dim", () -> Tensor.stack(-4, A, A),
                        "stack: dim -4 is out of range for a tensor of rank 2, shape [2, 3] (expected -3 to 2)"),

                row("flatten order", () -> Tensor.zeros(2, 3, 4).flatten(2, 0),
                        "flatten: start dim 2 comes after end dim 0 for a tensor of shape [2, 3, 4]"),
                row("indexSelect index rank", () -> A.indexSelect(0, Tensor.zeros(1, 1)),
                        "indexSelect: index must be 0-D or 1-D, got shape [1, 1]"),
                row("gather index rank", () -> A.gather(1, Tensor.zeros(2)),
                        "gather: index of shape [2] must have the same rank as the input [2, 3]"),
                row("gather index too big", () -> A.gather(1, Tensor.zeros(3, 1)),
                        "gather: index shape [3, 1] exceeds input shape [2, 3] at dim 0"),
                row("indexSelect huge index", () -> A.indexSelect(1, Tensor.of(new float[] {1e10f})),
                        "indexSelect: index 10000000000 is out of range for dim 1 of size 3"),
                row("gather huge index", () -> A.gather(1, Tensor.full(1e10f, 2, 1)),
                        "gather: index 10000000000 is out of range for dim 1 of size 3"),
                row("gather negative index", () -> A.gather(1, Tensor.full(-1f, 2, 1)),
                        "gather: index -1 is out of range for dim 1 of size 3"),
                row("cat nothing", () -> Tensor.cat(0), "cat: expected at least one tensor"),
                row("cat 0-d", () -> Tensor.cat(0, Tensor.scalar(1f), Tensor.scalar(2f)),
                        "cat: zero-dimensional tensors cannot be concatenated (tensor 0 has shape []); use stack to join scalars"),
                row("stack nothing", () -> Tensor.stack(0), "stack: expected at least one tensor"),
                row("max of empty", () -> Tensor.zeros(0, 3).max(), "max: cannot reduce an empty tensor of shape [0, 3]"),
                row("min of empty", () -> Tensor.zeros(2, 0).min(1), "min: cannot reduce an empty tensor of shape [2, 0]"),
                row("repeated dim", () -> A.sum(new int[] {1, -1}, false),
                        "sum: dim 1 appears more than once in dims [1, -1] for a tensor of shape [2, 3]"),
                row("invalid reshape dim", () -> A.reshape(3, -2),
                        "reshape: invalid dimension -2 in shape [3, -2] for input of shape [2, 3] (only -1 may be negative)"),

                row("linear weight rank", () -> Functional.linear(A, Tensor.ones(3), null), "linear: weight must be [out, in], got [3]"),
                row("linear input", () -> Functional.linear(Tensor.ones(2, 4), Tensor.ones(5, 3), null),
                        "linear: input [2, 4] @ weight [5, 3]ᵀ: expected last dimension 3"),
                row("linear bias", () -> Functional.linear(A, Tensor.ones(5, 3), FOUR), "linear: bias must be [5], got [4]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misuses")
    void namesTheOpAndTheShapes(String name, ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
