package org.jgrad.nn;

import org.jgrad.core.Tensor;

/**
 * Factories for parameters: leaf tensors that require grad. ({@link Tensor} is final, so a
 * parameter is a plain tensor; what makes it a module's parameter is
 * {@link Module#registerParameter}.)
 *
 * <pre>{@code
 * jshell> Parameter.zeros(2, 3).isRequiresGrad()
 * $1 ==> true
 * }</pre>
 */
public final class Parameter {

    private Parameter() {}

    /** Marks {@code t} (a leaf) as requiring grad and returns it. */
    public static Tensor of(Tensor t) {
        return t.requiresGrad();
    }

    public static Tensor zeros(int... shape) {
        return Tensor.zeros(shape).requiresGrad();
    }

    public static Tensor full(float value, int... shape) {
        return Tensor.full(value, shape).requiresGrad();
    }
}
