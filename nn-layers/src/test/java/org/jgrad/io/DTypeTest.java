package org.jgrad.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DTypeTest {

    @ParameterizedTest(name = "F16 {0} = {1}")
    @CsvSource({
        "0x0000, 0.0", "0x8000, -0.0", "0x3C00, 1.0", "0xC000, -2.0", "0x3555, 0.333251953125", "0x7BFF, 65504.0",
        "0x0400, 6.103515625E-5",                  // smallest normal
        "0x0001, 5.9604644775390625E-8",           // smallest subnormal
        "0x03FF, 6.097555160522461E-5",            // largest subnormal
        "0x7C00, Infinity", "0xFC00, -Infinity",
    })
    void decodesHalfBitPatterns(String bits, double expected) {
        assertThat(decode(DType.F16, (short) Integer.parseInt(bits.substring(2), 16))).isEqualTo((float) expected);
    }

    @ParameterizedTest(name = "BF16 {0} = {1}")
    @CsvSource({"0x3F80, 1.0", "0xC040, -3.0", "0x3EAB, 0.333984375", "0x7F7F, 3.3895313892515355E38", "0x0001, 9.183549615799121E-41",
        "0xFF80, -Infinity"})
    void decodesBfloatBitPatterns(String bits, double expected) {
        assertThat(decode(DType.BF16, (short) Integer.parseInt(bits.substring(2), 16))).isEqualTo((float) expected);
    }

    @ParameterizedTest
    @CsvSource({"0x7E00", "0x7C01", "0xFE00"})
    void halfNaNStaysNaN(String bits) {
        assertThat(decode(DType.F16, (short) Integer.parseInt(bits.substring(2), 16))).isNaN();
    }

    @org.junit.jupiter.api.Test
    void everyHalfMatchesTheWideningOfItsValue() {
        for (int h = 0; h < 0x10000; h++) {
            int exp = (h >>> 10) & 0x1F, mant = h & 0x3FF;
            if (exp == 0x1F) continue;
            double v = (exp == 0 ? mant * 0x1p-24 : (1024 + mant) * Math.pow(2, exp - 25)) * ((h & 0x8000) != 0 ? -1 : 1);
            assertThat(DType.halfToFloat((short) h)).as("0x%04X", h).isEqualTo((float) v);
        }
    }

    @org.junit.jupiter.api.Test
    void decodesF64ByRounding() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(Math.PI).putDouble(1e300);
        float[] out = new float[2];
        DType.F64.decode(b.flip(), out, 0, 2);
        assertThat(out).containsExactly((float) Math.PI, Float.POSITIVE_INFINITY);
        assertThat(b.position()).isEqualTo(16);
    }

    private static float decode(DType t, short bits) {
        float[] out = new float[1];
        t.decode(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(bits).flip(), out, 0, 1);
        return out[0];
    }
}
