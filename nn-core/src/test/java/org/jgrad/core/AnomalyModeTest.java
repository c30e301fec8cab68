package org.jgrad.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * torch.autograd.detect_anomaly for jgrad: off by default; on, the backward pass stops at the first
 * op that returns a NaN or infinite gradient and names it, the input, the shapes and the element,
 * with the op's forward call as the cause; the forward checks each recorded op's output.
 */
class AnomalyModeTest {

    private final int threadsBefore = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(threadsBefore);
        assertThat(AnomalyMode.isEnabled()).as("every test closes its scope").isFalse();
    }

    /** d√x/dx = 1/(2√x) is infinite at 0. */
    @Test
    void sqrtAtZeroIsNamedInTheBackward() {
        Tensor x = Tensor.of(new float[] {4, 0, 1}).requiresGrad();
        // off (the default): the Inf goes silently into the gradient, as before
        assertThat(AnomalyMode.isEnabled()).isFalse();
        x.sqrt().sum().backward();
        assertThat(x.grad().toArray()).containsExactly(0.25f, Float.POSITIVE_INFINITY, 0.5f);

        Tensor y = x.sqrt().sum();                        // recorded while off: the backward still checks
        try (var anomaly = AnomalyMode.on()) {
            assertThat(AnomalyMode.isEnabled()).isTrue();
            assertThatThrownBy(y::backward)
                    .isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessage("AnomalyMode: the backward of 'sqrt' returned Infinity at element 1 of the gradient of its input 0"
                            + " (input shape [3], gradient shape [3], output shape [3]), where the input is 0.0; its output"
                            + " gradient was finite. (The op ran before AnomalyMode was on, so there is no trace of its forward"
                            + " call.)");
            Tensor z = x.sqrt().sum();
            Throwable e = catchThrowable(z::backward);
            assertThat(e).hasMessageStartingWith("AnomalyMode: the backward of 'sqrt' returned Infinity at element 1")
                    .hasMessageEndingWith("its output gradient was finite. (The cause of this exception is its forward call.)");
            assertThat(e.getCause()).hasMessage("the forward of 'sqrt', called here");
            assertThat(e.getCause().getStackTrace()).anyMatch(f -> f.getMethodName().equals("sqrtAtZeroIsNamedInTheBackward"));
        }
        assertThat(AnomalyMode.isEnabled()).isFalse();
    }

    /** √x · 0 at 0: the gradient reaching sqrt is 0, and 0 · ∞ is NaN. */
    @Test
    void aNaNGradientNamesTheOpThatMadeIt() {
        Tensor x = Tensor.of(new float[] {0, 1, 2, 3}).reshape(2, 2).requiresGrad();
        Tensor y = x.sqrt().mul(0f).sum();
        try (var anomaly = AnomalyMode.on(false)) {
            assertThatThrownBy(() -> Autograd.grad(y, x))
                    .isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("AnomalyMode: the backward of 'sqrt' returned NaN at element 0 of the gradient of its"
                            + " input 0 (input shape [2, 2], gradient shape [2, 2], output shape [2, 2]), where the input is 0.0;");
        }
    }

    @Test
    void aGradientPassedToBackwardIsChecked() {
        Tensor x = Tensor.of(new float[] {1, 2}).requiresGrad();
        Tensor y = x.mul(2f);
        try (var anomaly = AnomalyMode.on()) {
            assertThatThrownBy(() -> y.backward(Tensor.of(new float[] {1, Float.NaN})))
                    .isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessage("AnomalyMode: backward: the gradient passed in (shape [2]) holds NaN at element 1");
        }
    }

    /** With forward checks (the default of on()): log(0) is caught where it is computed. */
    @Test
    void theForwardOfARecordedOpIsChecked() {
        Tensor x = Tensor.of(new float[] {1, 0, 2}).requiresGrad();
        try (var anomaly = AnomalyMode.on()) {
            assertThatThrownBy(x::log)
                    .isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessage("AnomalyMode: the forward of 'log' returned -Infinity at element 1 of its output (shape [3]) from"
                            + " a finite input (shape [3]), where input 0 is 0.0");
            Tensor b = Tensor.of(new float[] {1, 0});
            assertThatThrownBy(() -> Tensor.ones(2).requiresGrad().div(b))
                    .hasMessage("AnomalyMode: the forward of 'div' returned Infinity at element 1 of its output (shape [2]) from"
                            + " finite inputs (shapes [2] and [2]), where input 0 is 1.0 and input 1 is 0.0");
            // an input that already holds Inf (a mask, data) is not the op's doing: not an anomaly of this op
            Tensor mask = Tensor.of(new float[] {0, Float.NEGATIVE_INFINITY});
            assertThat(Tensor.zeros(2).requiresGrad().add(mask).toArray()).containsExactly(0f, Float.NEGATIVE_INFINITY);
            // nor is an op outside the graph (evaluation, no_grad)
            assertThat(Tensor.of(new float[] {0}).log().item()).isEqualTo(Float.NEGATIVE_INFINITY);
        }
        try (var anomaly = AnomalyMode.on(false)) {
            assertThat(x.log().toArray()).as("backward checks only").contains(Float.NEGATIVE_INFINITY);
        }
    }

    @Test
    void scopesNestAndRestore() {
        try (var outer = AnomalyMode.on()) {
            assertThat(AnomalyMode.checksForward()).isTrue();
            try (var inner = AnomalyMode.off()) {
                assertThat(AnomalyMode.isEnabled()).isFalse();
                Tensor x = Tensor.zeros(1).requiresGrad();
                x.sqrt().sum().backward();                // off inside: no check
                assertThat(x.grad().item()).isEqualTo(Float.POSITIVE_INFINITY);
            }
            assertThat(AnomalyMode.isEnabled()).isTrue();
            try (var inner = AnomalyMode.on(false)) {
                assertThat(AnomalyMode.checksForward()).isFalse();
            }
            assertThat(AnomalyMode.checksForward()).isTrue();
        }
        assertThat(AnomalyMode.isEnabled()).isFalse();
    }

    /**
     * Global, unlike GradMode: the Trainer runs its shards' backward on pool threads, which must see
     * the switch this thread turned on; the error reaches this thread unwrapped.
     */
    @Test
    void poolThreadsSeeTheSwitch() {
        Parallel.setThreads(2);
        try (var anomaly = AnomalyMode.on(false)) {
            assertThatThrownBy(() -> Parallel.forChunks(2, c -> {
                Tensor x = Tensor.of(new float[] {c}).requiresGrad();
                Autograd.grad(x.sqrt().sum(), x);
            })).isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("AnomalyMode: the backward of 'sqrt' returned Infinity at element 0");
        }
    }
}
