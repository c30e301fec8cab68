package org.jgrad.examples;

/**
 * A dual number a + b·ε with ε² = 0: carrying b alongside a through a computation gives the
 * directional derivative — forward-mode autodiff on scalars, as in the course.
 */
public record Dual(double value, double tangent) {

    public static Dual variable(double value, double direction) {
        return new Dual(value, direction);
    }

    public Dual add(Dual o) {
        return new Dual(value + o.value, tangent + o.tangent);
    }

    public Dual mul(Dual o) {
        return new Dual(value * o.value, tangent * o.value + value * o.tangent);
    }

    public Dual div(Dual o) {
        return new Dual(value / o.value, (tangent * o.value - value * o.tangent) / (o.value * o.value));
    }

    public Dual sin() {
        return new Dual(Math.sin(value), Math.cos(value) * tangent);
    }

    public Dual exp() {
        double e = Math.exp(value);
        return new Dual(e, e * tangent);
    }

    public Dual log() {
        return new Dual(Math.log(value), tangent / value);
    }
}
