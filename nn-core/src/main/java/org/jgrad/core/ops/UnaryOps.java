package org.jgrad.core.ops;

import static org.jgrad.core.ops.BinaryOps.mul;

import org.jgrad.core.kernels.Elementwise;

/** Elementwise functions of one array, each with its derivative beside it. */
public final class UnaryOps {

    private UnaryOps() {}

    /** A kernel of the form {@code (in, inOffset, out, outOffset, n)}. */
    @FunctionalInterface
    interface Kernel {
        void run(float[] a, int oa, float[] out, int oo, int n);
    }

    /** Applies a kernel to a whole array, writing a new one. */
    static FloatArray map(FloatArray x, Kernel k) {
        FloatArray out = FloatArray.empty(x.shape);
        k.run(x.data, 0, out.data, 0, x.size());
        return out;
    }

    /** d/dx (−x) = −1. */
    public static final class Neg extends Op {
        /** One application of the op; the engine makes a fresh one for each. */
        public Neg() {}

        @Override
        public FloatArray forward(FloatArray... in) {
            return BinaryOps.neg(in[0]);
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            return new FloatArray[] {BinaryOps.neg(g)};
        }

        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            return symmetricTangent(t);
        }
    }

    /** d/dx e^x = e^x: keeps the output. */
    public static final class Exp extends Op {
        /** One application of the op; the engine makes a fresh one for each. */
        public Exp() {}

        private FloatArray out;

        @Override
        public FloatArray forward(FloatArray... in) {
            out = map(in[0], Elementwise::exp);
            return out;
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            return new FloatArray[] {mul(g, out)};
        }

        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            return symmetricTangent(t);
        }
    }

    /** d/dx ln x = 1/x. */
    public static final class Log extends Op {
        /** One application of the op; the engine makes a fresh one for each. */
        public Log() {}

        private FloatArray x;

        @Override
        public FloatArray forward(FloatArray... in) {
            x = in[0];
            return map(x, Elementwise::log);
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            return new FloatArray[] {BinaryOps.div(g, x)};
        }

        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            return symmetricTangent(t);
        }
    }

    /** d/dx √x = 1 / (2√x). */
    public static final class Sqrt extends Op {
        /** One application of the op; the engine makes a fresh one for each. */
        public Sqrt() {}

        private FloatArray out;

        @Override
        public FloatArray forward(FloatArray... in) {
            out = map(in[0], Elementwise::sqrt);
            return out;
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            return new FloatArray[] {BinaryOps.div(g, mul(out, 2f))};
        }

        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            return symmetricTangent(t);
        }
    }

    /** d/dx |x| = sign(x), with sign(0) = 0 as in PyTorch. */
    public static final class Abs extends Op {
        /** One application of the op; the engine makes a fresh one for each. */
        public Abs() {}

        private FloatArray x;

        @Override
        public FloatArray forward(FloatArray... in) {
            x = in[0];
            return map(x, Elementwise::abs);
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            FloatArray sign = FloatArray.empty(x.shape);
            for (int i = 0; i < sign.data.length; i++) sign.data[i] = Math.signum(x.data[i]);
            return new FloatArray[] {mul(g, sign)};
        }

        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            return symmetricTangent(t);
        }
    }

    /** d/dx sin x = cos x: keeps the input. */
    public static final class Sin extends Op {
        /** One application of the op; the engine makes a fresh one for each. */
        public Sin() {}

        private FloatArray x;

        @Override
        public FloatArray forward(FloatArray... in) {
            x = in[0];
            return map(x, Elementwise::sin);
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            return new FloatArray[] {mul(g, map(x, Elementwise::cos))};
        }

        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            return symmetricTangent(t);
        }
    }

    /** d/dx cos x = −sin x: keeps the input. */
    public static final class Cos extends Op {
        /** One application of the op; the engine makes a fresh one for each. */
        public Cos() {}

        private FloatArray x;

        @Override
        public FloatArray forward(FloatArray... in) {
            x = in[0];
            return map(x, Elementwise::cos);
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            return new FloatArray[] {BinaryOps.neg(mul(g, map(x, Elementwise::sin)))};
        }

        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            return symmetricTangent(t);
        }
    }

    /** d/dx tanh x = 1 − tanh² x: keeps the output. */
    public static final class Tanh extends Op {
        /** One application of the op; the engine makes a fresh one for each. */
        public Tanh() {}

        private FloatArray out;

        @Override
        public FloatArray forward(FloatArray... in) {
            out = map(in[0], Elementwise::tanh);
            return out;
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            FloatArray oneMinusSq = BinaryOps.apply(BinaryOps.Kind.SUB, FloatArray.scalar(1f), mul(out, out));
            return new FloatArray[] {mul(g, oneMinusSq)};
        }

        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            return symmetricTangent(t);
        }
    }

    /** d/dx σ(x) = σ(x)(1 − σ(x)): keeps the output. */
    public static final class Sigmoid extends Op {
        /** One application of the op; the engine makes a fresh one for each. */
        public Sigmoid() {}

        private FloatArray out;

        @Override
        public FloatArray forward(FloatArray... in) {
            out = map(in[0], Elementwise::sigmoid);
            return out;
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            FloatArray oneMinus = BinaryOps.apply(BinaryOps.Kind.SUB, FloatArray.scalar(1f), out);
            return new FloatArray[] {mul(g, mul(out, oneMinus))};
        }

        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            return symmetricTangent(t);
        }
    }

    /** GELU, x·Φ(x) (PyTorch's exact form); d/dx = Φ(x) + x·φ(x): keeps the input. */
    public static final class Gelu extends Op {
        /** One application of the op; the engine makes a fresh one for each. */
        public Gelu() {}

        private FloatArray x;

        @Override
        public FloatArray forward(FloatArray... in) {
            x = in[0];
            return map(x, Elementwise::gelu);
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            FloatArray out = FloatArray.empty(x.shape);
            Elementwise.geluBackward(x.data, 0, g.data, 0, out.data, 0, out.size());
            return new FloatArray[] {out};
        }

        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            return symmetricTangent(t);
        }
    }

    /** d/dx max(x, 0) = 1 where x > 0, else 0 (0 at the kink, as in PyTorch). */
    public static final class Relu extends Op {
        /** One application of the op; the engine makes a fresh one for each. */
        public Relu() {}

        private FloatArray x;

        @Override
        public FloatArray forward(FloatArray... in) {
            x = in[0];
            return map(x, Elementwise::relu);
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            FloatArray out = FloatArray.empty(x.shape);      // the kernel writes every element
            Elementwise.reluBackward(x.data, 0, g.data, 0, out.data, 0, out.size());
            return new FloatArray[] {out};
        }

        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            return symmetricTangent(t);
        }
    }

    /** min(max(x, lo), hi): the gradient passes where lo ≤ x ≤ hi. */
    public static final class Clamp extends Op {
        private final float lo, hi;
        private FloatArray x;

        /**
         * Clamps to [lo, hi].
         *
         * @param lo lower bound
         * @param hi upper bound, not below {@code lo}
         */
        public Clamp(float lo, float hi) {
            if (lo > hi) throw new IllegalArgumentException("clamp: min " + lo + " is greater than max " + hi);
            this.lo = lo;
            this.hi = hi;
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            x = in[0];
            FloatArray out = FloatArray.empty(x.shape);
            Elementwise.clamp(x.data, 0, lo, hi, out.data, 0, out.size());
            return out;
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            FloatArray out = FloatArray.empty(x.shape);
            for (int i = 0; i < out.data.length; i++) {
                float v = x.data[i];
                out.data[i] = v >= lo && v <= hi ? g.data[i] : 0f;
            }
            return new FloatArray[] {out};
        }

        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            return symmetricTangent(t);
        }
    }
}
