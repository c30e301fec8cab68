package org.jgrad.core;

import java.util.Locale;
import org.jgrad.core.ops.FloatArray;

/**
 * Prints tensors the way PyTorch does: one number format for the whole tensor (integers as
 * {@code 1.}, otherwise 4 decimals, or scientific when magnitudes are very large, very small or
 * far apart), right-aligned columns, nested brackets, and the middle of large tensors elided.
 */
final class TensorFormat {

    /** Above this many elements, each dim shows only its first and last {@link #EDGE_ITEMS}. */
    static final int THRESHOLD = 1000;
    static final int EDGE_ITEMS = 3;

    private TensorFormat() {}

    static void append(StringBuilder sb, FloatArray a, int indent) {
        float[] d = a.data();
        int[] shape = a.shape();
        boolean summarize = d.length > THRESHOLD;
        String fmt = chooseFormat(d);
        int width = 0;
        for (float v : d) width = Math.max(width, format(v, fmt).length());
        if (shape.length == 0) {
            sb.append(format(d[0], fmt));
            return;
        }
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= shape[i];
        }
        appendDim(sb, d, shape, strides, 0, 0, fmt, width, indent, summarize);
    }

    private static void appendDim(StringBuilder sb, float[] d, int[] shape, int[] strides, int dim, int offset,
                                  String fmt, int width, int indent, boolean summarize) {
        sb.append('[');
        int n = shape[dim];
        boolean elide = summarize && n > 2 * EDGE_ITEMS;
        boolean last = dim == shape.length - 1;
        for (int i = 0; i < n; i++) {
            if (elide && i == EDGE_ITEMS) {
                sb.append(last ? "..., " : "...,\n" + " ".repeat(indent + dim + 1));
                i = n - EDGE_ITEMS;
            }
            if (last) {
                String v = format(d[offset + i * strides[dim]], fmt);
                sb.append(" ".repeat(width - v.length())).append(v);
            } else {
                appendDim(sb, d, shape, strides, dim + 1, offset + i * strides[dim], fmt, width, indent, summarize);
            }
            if (i < n - 1) {
                sb.append(',');
                if (last) sb.append(' ');
                else sb.append("\n".repeat(shape.length - dim - 1)).append(" ".repeat(indent + dim + 1));
            }
        }
        sb.append(']');
    }

    private static String chooseFormat(float[] d) {
        boolean allInt = true;
        double maxAbs = 0, minAbs = Double.MAX_VALUE;
        for (float v : d) {
            if (!Float.isFinite(v)) continue;
            double a = Math.abs(v);
            if (v != Math.rint(v)) allInt = false;
            maxAbs = Math.max(maxAbs, a);
            if (a > 0) minAbs = Math.min(minAbs, a);
        }
        if (allInt) return maxAbs >= 1e8 ? "sci" : "int";
        if (maxAbs >= 1e8 || minAbs < 1e-4 || maxAbs / minAbs > 1000) return "sci";
        return "fixed";
    }

    private static String format(float v, String fmt) {
        if (Float.isNaN(v)) return "nan";
        if (Float.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        return switch (fmt) {
            case "int" -> String.format(Locale.ROOT, "%.0f.", v);
            case "sci" -> String.format(Locale.ROOT, "%.4e", v);
            default -> String.format(Locale.ROOT, "%.4f", v);
        };
    }
}
