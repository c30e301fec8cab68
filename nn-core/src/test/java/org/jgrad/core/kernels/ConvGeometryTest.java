package org.jgrad.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConvGeometryTest {

    @Test
    void outputSizeFollowsPyTorch() {
        ConvGeometry g = ConvGeometry.conv2d(64, 32, 14, 14, 64, 5, 5, 1, 1, 2, 2, 1, 1);
        assertThat(g.p).isEqualTo(14);
        assertThat(g.q).isEqualTo(14);
        ConvGeometry strided = ConvGeometry.conv2d(1, 1, 7, 10, 1, 3, 2, 2, 3, 1, 0, 2, 1);
        assertThat(strided.p).isEqualTo((7 + 2 - 2 * 2 - 1) / 2 + 1);
        assertThat(strided.q).isEqualTo((10 - 1 - 1) / 3 + 1);
        ConvGeometry oneD = ConvGeometry.conv1d(2, 3, 20, 4, 5, 2, 2, 2);
        assertThat(oneD.p).isEqualTo(1);
        assertThat(oneD.q).isEqualTo((20 + 4 - 8 - 1) / 2 + 1);
        assertThat(g.isPointwise()).isFalse();
        assertThat(ConvGeometry.conv2d(1, 2, 3, 3, 4, 1, 1, 1, 1, 0, 0, 1, 1).isPointwise()).isTrue();
        assertThat(g.macs()).isEqualTo(64L * 64 * 14 * 14 * 32 * 25);
    }

    @Test
    void kernelThatDoesNotFit() {
        assertThatThrownBy(() -> ConvGeometry.conv2d(1, 1, 3, 3, 1, 5, 5, 1, 1, 0, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("conv2d: kernel 5 with padding 0 does not fit input 3 (height)");
        assertThatThrownBy(() -> ConvGeometry.conv2d(1, 1, 9, 3, 1, 3, 3, 1, 1, 0, 0, 1, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("conv2d: kernel 3 (dilation 2, effective 5) with padding 0 does not fit input 3 (width)");
        assertThatThrownBy(() -> ConvGeometry.conv1d(1, 1, 3, 1, 5, 1, 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("conv1d: kernel 5 with padding 0 does not fit input 3");
    }

    @Test
    void nonPositiveOrNegativeParameters() {
        assertThatThrownBy(() -> ConvGeometry.conv2d(1, 1, 8, 8, 1, 3, 3, 0, 1, 0, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("conv2d: stride (height) must be positive, got 0");
        assertThatThrownBy(() -> ConvGeometry.conv1d(1, 1, 8, 1, 3, -2, 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("conv1d: stride must be positive, got -2");
        assertThatThrownBy(() -> ConvGeometry.conv2d(1, 1, 8, 8, 1, 3, 3, 1, 1, 0, 0, 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("conv2d: dilation (width) must be positive, got 0");
        assertThatThrownBy(() -> ConvGeometry.conv2d(1, 1, 8, 8, 1, 3, 3, 1, 1, -1, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("conv2d: padding must be >= 0, got -1 (height)");
        assertThatThrownBy(() -> ConvGeometry.conv2d(1, 0, 8, 8, 1, 3, 3, 1, 1, 0, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("conv2d: input channels must be positive, got 0");
        assertThatThrownBy(() -> ConvGeometry.conv2d(1, 1, 8, 8, 0, 3, 3, 1, 1, 0, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("conv2d: output channels must be positive, got 0");
        assertThatThrownBy(() -> ConvGeometry.conv2d(-1, 1, 8, 8, 1, 3, 3, 1, 1, 0, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("conv2d: batch size must be >= 0, got -1");
        assertThatThrownBy(() -> ConvGeometry.conv2d(1, 1, 0, 8, 1, 1, 1, 1, 1, 0, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("conv2d: input size (height) must be positive, got 0");
        assertThatThrownBy(() -> ConvGeometry.conv2d(1, 1, 8, 8, 1, 3, 0, 1, 1, 0, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("conv2d: kernel size (width) must be positive, got 0");
    }

    @Test
    void tooLargeForOneArray() {
        assertThatThrownBy(() -> ConvGeometry.conv2d(1, 4096, 256, 256, 1, 3, 3, 1, 1, 1, 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("conv2d: column matrix C·R·S × P·Q is too large for one float array");
    }
}
