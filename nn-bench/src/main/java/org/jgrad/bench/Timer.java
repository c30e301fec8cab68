package org.jgrad.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.apache.commons.statistics.descriptive.Median;

/**
 * A plain timing harness for the quick report (JMH is thorough but takes minutes per figure).
 *
 * <p>Warm-up runs the call for at least {@code warmupSeconds} and until no JIT compilation has
 * finished for {@code idleSeconds}: on a busy machine the compiler threads compete for the cores,
 * and a kernel still running in the interpreter or C1 looks like a stable (slow) plateau. Then
 * {@code reps} timed repetitions, each a batch of calls lasting about {@code batchSeconds}, give
 * rates (work per second) whose median is the figure and whose min..max is its spread.
 *
 * <p>Each figure has a time budget: a call that takes seconds (a slow conv layer) gets one warm-up
 * call (the JIT compiles its loops on stack while it runs) and at least {@link #MIN_REPS}
 * repetitions of one call, so the quick suite stays bounded whatever the kernels' speed.
 */
final class Timer {

    /**
     * How long to warm up and measure. Keep {@code reps} at 5 or more: {@link Compare} tests the
     * repetitions at alpha 0.01, which 5 against 5 can reach ({@code p = 1/252}) and 4 against 4
     * cannot ({@code p = 1/70}).
     */
    record Settings(double warmupSeconds, double idleSeconds, double budgetSeconds, double batchSeconds, int reps) {
        static final Settings QUICK = new Settings(1.0, 0.5, 8, 0.1, 5);
        static final Settings FULL = new Settings(2.0, 1.0, 40, 0.25, 9);
    }

    /** The rates are sorted already, so no copy is needed; NaN cannot occur (a rate is work over a positive time). */
    private static final Median MEDIAN = Median.withDefaults().withCopy(false);

    /** Fewest repetitions, whatever the budget: a median and a spread need three. */
    static final int MIN_REPS = 3;

    /** Sorted rates of the timed repetitions (work units per second). */
    record Result(double[] rates) {
        /**
         * The figure: the middle rate, for an even count the mean of the two middle rates
         * (Commons Statistics' {@link Median} with its defaults, which is that definition; the
         * figures of older reports were computed the same way).
         */
        double median() {
            return MEDIAN.evaluate(rates);
        }

        double min() {
            return rates[0];
        }

        double max() {
            return rates[rates.length - 1];
        }

        /** Half the min..max spread as a percentage of the median: the "±" of the report. */
        double spreadPercent() {
            double m = median();
            return m == 0 ? 0 : (max() - min()) / 2 / m * 100;
        }
    }

    private Timer() {}

    /** Measures {@code call}, which does {@code work} units (flops, bytes, samples) per run. */
    static Result measure(Runnable call, double work, Settings s) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean jitKnown = jit != null && jit.isCompilationTimeMonitoringSupported();
        double budget = s.budgetSeconds() * 1e9, warmLimit = 0.4 * budget;
        long start = System.nanoTime(), idleSince = start, lastJit = -1, callTime;
        while (true) {
            long c0 = System.nanoTime();
            call.run();
            long now = System.nanoTime();
            callTime = Math.max(1, now - c0);
            long jitTime = jitKnown ? jit.getTotalCompilationTime() : 0;
            if (jitTime != lastJit) {
                lastJit = jitTime;
                idleSince = now;
            }
            boolean warm = now - start >= s.warmupSeconds() * 1e9 && now - idleSince >= s.idleSeconds() * 1e9;
            if (warm || now - start >= warmLimit) break;
        }
        int inner = (int) Math.max(1, s.batchSeconds() * 1e9 / callTime);
        double left = budget - (System.nanoTime() - start);
        int reps = (int) Math.max(MIN_REPS, Math.min(s.reps(), left / ((double) inner * callTime)));
        double[] rates = new double[reps];
        for (int r = 0; r < rates.length; r++) {
            long s0 = System.nanoTime();
            for (int i = 0; i < inner; i++) call.run();
            rates[r] = work * inner / ((System.nanoTime() - s0) / 1e9);
        }
        Arrays.sort(rates);
        return new Result(rates);
    }
}
