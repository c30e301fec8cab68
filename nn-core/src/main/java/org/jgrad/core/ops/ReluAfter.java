package org.jgrad.core.ops;

import org.jgrad.core.kernels.Elementwise;

/**
 * An op followed by ReLU, as one node of the graph (a layer and the ReLU after it): the ReLU is
 * applied in place to the op's fresh result, so the pair keeps one array instead of two and
 * writes it once less, and the backward masks the gradient where the output is not positive
 * before the op's own backward. The values and gradients are those of the two ops in a row, bit
 * for bit: relu(y) &gt; 0 exactly where y &gt; 0, which is the mask ReLU's backward uses.
 */
public final class ReluAfter extends Op {

    private final Op op;
    private FloatArray y;

    /**
     * {@code op} must return a fresh array that nothing else holds (a layer's product does).
     *
     * @param op the op whose output the ReLU is applied to
     */
    public ReluAfter(Op op) {
        this.op = op;
    }

    @Override
    public FloatArray forward(FloatArray... inputs) {
        boolean[] needs = new boolean[inputs.length];
        for (int i = 0; i < needs.length; i++) needs[i] = needsGrad(i);
        op.setNeedsGrad(needs);
        y = op.forward(inputs);
        Elementwise.relu(y.data, 0, y.data, 0, y.size());
        return y;
    }

    @Override
    public FloatArray[] backward(FloatArray g) {
        return backwardOf(op, masked(g));
    }

    /** The op's tangent (its rules read only the output's shape), masked like a gradient. */
    @Override
    public FloatArray tangent(FloatArray output, FloatArray... tangents) {
        FloatArray t = op.tangent(output, tangents);
        if (t == null) return null;
        if (t.size() != output.size()) t = BinaryOps.add(FloatArray.zeros(output.shape), t);   // a bias-only tangent, broadcast
        return masked(t);
    }

    /** g where the output is positive, else 0. */
    private FloatArray masked(FloatArray g) {
        FloatArray out = FloatArray.empty(y.shape);
        Elementwise.reluBackward(y.data, 0, g.data, 0, out.data, 0, out.size());
        return out;
    }

    @Override
    public String name() {
        return op.name() + "+relu";
    }
}
