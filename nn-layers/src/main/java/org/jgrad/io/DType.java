package org.jgrad.io;

import java.nio.ByteBuffer;

/**
 * The element types of a safetensors file that jgrad reads, each decoded to float32 as it is
 * read. Writing is always {@link #F32}.
 *
 * <p>F16 and BF16 widen exactly; F64, I64 and I32 round to the nearest float (an integer above
 * 2²⁴ may lose its low bits); BOOL reads as 0 or 1.
 */
enum DType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** The type named {@code name} in a header, or null when jgrad does not know it. */
    static DType parse(String name) {
        for (DType t : values()) if (t.name().equals(name)) return t;
        return null;
    }

    /** Decodes {@code n} elements from {@code in} (little-endian, positioned) into {@code out[off..off+n)}. */
    void decode(ByteBuffer in, float[] out, int off, int n) {
        switch (this) {
            case F32 -> in.asFloatBuffer().get(out, off, n);
            case F64 -> { for (int i = 0; i < n; i++) out[off + i] = (float) in.getDouble(in.position() + 8 * i); }
            case F16 -> { for (int i = 0; i < n; i++) out[off + i] = halfToFloat(in.getShort(in.position() + 2 * i)); }
            case BF16 -> { for (int i = 0; i < n; i++) out[off + i] = Float.intBitsToFloat(in.getShort(in.position() + 2 * i) << 16); }
            case I64 -> { for (int i = 0; i < n; i++) out[off + i] = in.getLong(in.position() + 8 * i); }
            case I32 -> { for (int i = 0; i < n; i++) out[off + i] = in.getInt(in.position() + 4 * i); }
            case I16 -> { for (int i = 0; i < n; i++) out[off + i] = in.getShort(in.position() + 2 * i); }
            case I8 -> { for (int i = 0; i < n; i++) out[off + i] = in.get(in.position() + i); }
            case U8 -> { for (int i = 0; i < n; i++) out[off + i] = in.get(in.position() + i) & 0xFF; }
            case BOOL -> { for (int i = 0; i < n; i++) out[off + i] = in.get(in.position() + i) != 0 ? 1f : 0f; }
        }
        in.position(in.position() + n * bytes);
    }

    /**
     * IEEE 754 binary16 to float, exactly: normals and subnormals rescaled, ±0, ±Inf and NaN kept
     * (Java 17 has no {@code Float.float16ToFloat}; it came in 20).
     */
    static float halfToFloat(short h) {
        int sign = (h & 0x8000) << 16, exp = (h >>> 10) & 0x1F, mant = h & 0x3FF;
        if (exp == 0x1F) return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        if (exp != 0) return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
        float sub = mant * 0x1p-24f;                       // subnormal (or zero): mant · 2⁻²⁴, exact in float
        return sign != 0 ? -sub : sub;
    }
}
