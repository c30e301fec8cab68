package org.jgrad.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One entry of github-action-benchmark's {@code customBiggerIsBetter} format: a name, a unit, a
 * value where bigger is better, a range (our spread, "±p%" of the value) and free text, plus our
 * own optional {@code samples} (the action reads the fields it knows and ignores the others).
 *
 * @param range "±p%": half of the min..max spread of the repetitions, relative to the median; may be null
 * @param extra environment and measurement details shown in the chart's tooltip; may be null
 * @param samples the value of every repetition (same unit and scale as {@code value}, sorted), so
 *     that {@link Compare} can test a change for significance; null when the producer has no
 *     repetitions of its own (ratios to a peer) or the report predates the field
 */
@JsonPropertyOrder({"name", "unit", "value", "range", "extra", "samples"})
@JsonInclude(JsonInclude.Include.NON_NULL)
record Figure(String name, String unit, double value, String range, String extra, List<Double> samples) {

    Figure {
        samples = samples == null || samples.isEmpty() ? null : List.copyOf(samples);
    }

    /** A figure without samples. */
    Figure(String name, String unit, double value, String range, String extra) {
        this(name, unit, value, range, extra, null);
    }

    /** A figure from a timing result: the median, with its spread as the range and every rate as a sample. */
    static Figure of(String name, String unit, Timer.Result r, double scale, String extra) {
        String detail = String.format(Locale.ROOT, "median of %d, min %.4g, max %.4g", r.rates().length,
                r.min() * scale, r.max() * scale);
        return new Figure(name, unit, round(r.median() * scale), range(r.spreadPercent()),
                extra == null ? detail : detail + "; " + extra, samples(r.rates(), scale));
    }

    /** Each repetition times {@code scale}, rounded like a value, sorted. */
    static List<Double> samples(double[] perRepetition, double scale) {
        return Arrays.stream(perRepetition).map(x -> round(x * scale)).sorted().boxed().toList();
    }

    /** The samples as an array for the test, or null when there are none. */
    double[] sampleArray() {
        return samples == null ? null : samples.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static String range(double percent) {
        return String.format(Locale.ROOT, "±%.1f%%", percent);
    }

    /** Four significant digits: more would be noise. */
    static double round(double v) {
        if (v == 0 || !Double.isFinite(v)) return v;
        double scale = Math.pow(10, 3 - (int) Math.floor(Math.log10(Math.abs(v))));
        return Math.round(v * scale) / scale;
    }

    /**
     * The spread as a percentage of the value, parsed from the range: "±p%" (relative) or "±x"
     * / "± x" (absolute, in the figure's unit, as other tools write it). NaN when absent or unreadable.
     */
    double spreadPercent() {
        if (range == null) return Double.NaN;
        String r = range.trim().replace("±", "").replace("+-", "").trim();
        boolean relative = r.endsWith("%");
        if (relative) r = r.substring(0, r.length() - 1).trim();
        try {
            double x = Double.parseDouble(r);
            if (relative) return Math.abs(x);
            return value == 0 ? Double.NaN : Math.abs(x / value) * 100;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
