package org.jgrad.examples.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Where an axis gets its ticks and what they say: {@link Plot} draws its axes from these lists
 * rather than XChart's own choice, which labels a curve of one or two points with the raw data
 * ({@code 0.595883014839346}), subsamples evenly spaced data at odd steps (0, 12, 24, …) and
 * labels a logarithmic axis at whole decades only, so a range inside one decade gets one label.
 *
 * <p>Linear axes get steps of 1, 2 or 5 × 10<sup>k</sup> (whole numbers only where the data are
 * whole, such as epochs); logarithmic axes label 1 × 10<sup>k</sup>, or 1, 2, 5 × 10<sup>k</sup>,
 * or every m × 10<sup>k</sup>, the sparsest of these that gives four labels, with the other
 * m × 10<sup>k</sup> as unlabelled minor ticks. {@link #choose} takes the densest such list whose
 * labels do not touch at the axis's size in pixels.
 */
public final class Ticks {

    /**
     * One tick of an axis.
     *
     * @param value where it sits, in data units
     * @param label what it says, or null for a minor tick (a grid line without a label)
     */
    public record Tick(double value, String label) {}

    /** The most labels an axis gets, however long it is: more is clutter, not information. */
    public static final int MAX_LABELS = 10;

    /** A logarithmic axis takes denser mantissas until it has this many labels (three decades alone say little). */
    static final int MIN_LOG_LABELS = 4;

    private static final int[][] LOG_MANTISSAS = {{1}, {1, 2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9}};

    private Ticks() {}

    /**
     * Ticks at a round step inside [lo, hi]: the smallest step of 1, 2 or 5 × 10<sup>k</sup> that
     * gives at most {@code maxTicks} of them.
     *
     * @param lo the low end of the axis
     * @param hi the high end of the axis, above lo
     * @param maxTicks the most ticks wanted, at least 2
     * @param integers whether only whole numbers may be ticks (a step of at least 1)
     * @return the ticks, ascending, each labelled with as many decimals as the step needs
     */
    public static List<Tick> linear(double lo, double hi, int maxTicks, boolean integers) {
        checkRange(lo, hi);
        if (maxTicks < 2) throw new IllegalArgumentException("Ticks.linear: need room for at least 2 ticks, got " + maxTicks);
        double step = niceStep((hi - lo) / (maxTicks - 1));
        if (integers) step = Math.max(step, 1);
        int decimals = Math.max(0, -(int) Math.floor(Math.log10(step) + 1e-9));
        List<Tick> ticks = new ArrayList<>();
        for (long i = (long) Math.ceil(lo / step - 1e-9); i * step <= hi + 1e-9 * step; i++) {
            double v = i * step;
            ticks.add(new Tick(v, label(v, decimals)));
        }
        return ticks;
    }

    /**
     * Ticks of a logarithmic axis over [lo, hi] (both positive): labels at the sparsest mantissa
     * set of {1}, {1, 2, 5}, {1…9} that gives at least {@value #MIN_LOG_LABELS} of them, every second (third, …) decade
     * when whole decades are more than {@code maxLabels}; the remaining m × 10<sup>k</sup> unlabelled
     * when the axis spans at most {@value #MINOR_DECADES} decades. A range too narrow for two such
     * labels gets the linear ticks of {@link #linear}.
     *
     * @param lo the low end, above zero
     * @param hi the high end, above lo
     * @param maxLabels the most labelled ticks wanted, at least 2
     * @return labelled and minor ticks, ascending
     */
    public static List<Tick> log(double lo, double hi, int maxLabels) {
        checkRange(lo, hi);
        if (lo <= 0) throw new IllegalArgumentException("Ticks.log: a logarithmic axis needs a positive range, got [" + lo + ", " + hi + "]");
        if (maxLabels < 2) throw new IllegalArgumentException("Ticks.log: need room for at least 2 labels, got " + maxLabels);
        int kLo = (int) Math.floor(Math.log10(lo)), kHi = (int) Math.ceil(Math.log10(hi));
        int chosen = 0;
        while (chosen < LOG_MANTISSAS.length - 1 && countInRange(lo, hi, kLo, kHi, LOG_MANTISSAS[chosen]) < MIN_LOG_LABELS) chosen++;
        while (chosen > 0 && countInRange(lo, hi, kLo, kHi, LOG_MANTISSAS[chosen]) > maxLabels) chosen--;
        int n = countInRange(lo, hi, kLo, kHi, LOG_MANTISSAS[chosen]);
        if (n < 2) return linear(lo, hi, maxLabels, false);   // too narrow for two round labels
        int[] labelled = LOG_MANTISSAS[chosen];
        int decadeStride = chosen == 0 ? Math.max(1, (n + maxLabels - 1) / maxLabels) : 1;
        boolean minor = kHi - kLo <= MINOR_DECADES;
        List<Tick> ticks = new ArrayList<>();
        for (int k = kLo; k <= kHi; k++) {
            for (int m = 1; m <= 9; m++) {
                double v = m * Math.pow(10, k);
                if (v < lo * (1 - 1e-9) || v > hi * (1 + 1e-9)) continue;
                boolean isLabelled = contains(labelled, m) && Math.floorMod(k, decadeStride) == 0;
                if (isLabelled) ticks.add(new Tick(v, logLabel(m, k)));
                else if (minor) ticks.add(new Tick(v, null));
            }
        }
        return ticks;
    }

    /** Up to this many decades a logarithmic axis also gets its unlabelled m × 10<sup>k</sup> grid lines. */
    public static final int MINOR_DECADES = 6;

    /**
     * The densest ticks whose labels fit: tries at most {@link #MAX_LABELS} labels, then fewer,
     * until neighbouring labels are apart by at least their half sizes plus {@code gap} pixels.
     *
     * @param lo the low end of the axis
     * @param hi the high end, above lo
     * @param log whether the axis is logarithmic (lo must then be positive)
     * @param integers whether a linear axis may only have whole-number ticks
     * @param pixels the axis length in pixels
     * @param size a label's extent along the axis in pixels (its width on an x axis, its height on a y axis)
     * @param gap the least free space between two labels, in pixels
     * @return the ticks; at least one labelled tick, two when the range holds two
     */
    public static List<Tick> choose(double lo, double hi, boolean log, boolean integers, double pixels,
                                    ToDoubleFunction<String> size, double gap) {
        List<Tick> last = null;
        for (int n = MAX_LABELS; n >= 2; n--) {
            List<Tick> ticks = log ? log(lo, hi, n) : linear(lo, hi, n, integers);
            last = ticks;
            if (fits(ticks, lo, hi, log, pixels, size, gap)) return ticks;
        }
        // nothing fits: keep only the two end labels of the sparsest list
        List<Tick> ends = new ArrayList<>();
        List<Tick> labelled = last.stream().filter(t -> t.label() != null).toList();
        ends.add(labelled.get(0));
        if (labelled.size() > 1) ends.add(labelled.get(labelled.size() - 1));
        return ends;
    }

    /** Whether no two neighbouring labels overlap at this axis length. */
    static boolean fits(List<Tick> ticks, double lo, double hi, boolean log, double pixels, ToDoubleFunction<String> size, double gap) {
        double prevPos = Double.NaN, prevHalf = 0;
        for (Tick t : ticks) {
            if (t.label() == null) continue;
            double pos = position(t.value(), lo, hi, log) * pixels, half = size.applyAsDouble(t.label()) / 2;
            if (!Double.isNaN(prevPos) && pos - prevPos < prevHalf + half + gap) return false;
            prevPos = pos;
            prevHalf = half;
        }
        return true;
    }

    /** Where a value sits on the axis, 0 at lo and 1 at hi. */
    static double position(double v, double lo, double hi, boolean log) {
        return log ? Math.log(v / lo) / Math.log(hi / lo) : (v - lo) / (hi - lo);
    }

    /** The smallest of 1, 2, 5 × 10<sup>k</sup> not below {@code raw}. */
    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) if (m * p >= raw * (1 - 1e-9)) return m * p;
        return 10 * p;
    }

    private static String label(double v, int decimals) {
        if (Math.abs(v) >= 1e6 || decimals > 6) return String.format(Locale.ROOT, "%.3g", v);
        String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
        return s.matches("-0(\\.0*)?") ? s.substring(1) : s;   // no "-0" from rounding
    }

    private static String logLabel(int m, int k) {
        if (k < -3 || k > 5) return m + "e" + k;
        return k >= 0 ? Long.toString(m * (long) Math.pow(10, k)) : String.format(Locale.ROOT, "%." + -k + "f", m * Math.pow(10, k));
    }

    private static int countInRange(double lo, double hi, int kLo, int kHi, int[] mantissas) {
        int n = 0;
        for (int k = kLo; k <= kHi; k++) {
            for (int m : mantissas) {
                double v = m * Math.pow(10, k);
                if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) n++;
            }
        }
        return n;
    }

    private static boolean contains(int[] a, int x) {
        for (int v : a) if (v == x) return true;
        return false;
    }

    private static void checkRange(double lo, double hi) {
        if (!(lo < hi) || Double.isInfinite(lo) || Double.isInfinite(hi)) {
            throw new IllegalArgumentException("Ticks: an axis needs a finite range with low < high, got [" + lo + ", " + hi + "]");
        }
    }
}
