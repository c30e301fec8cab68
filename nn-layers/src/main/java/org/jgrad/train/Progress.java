package org.jgrad.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress line for long loops: done/total, samples per second, current loss and time left.
 * On a terminal it redraws one line in place; otherwise (CI logs, files) it prints a plain line
 * every {@code intervalSeconds} and at the end. {@link Mode#OFF} prints nothing.
 */
public final class Progress {

    /** How progress is shown. */
    public enum Mode {
        /** {@link #TERMINAL} on a terminal, {@link #LINES} otherwise. */
        AUTO,
        /** One line redrawn in place. */
        TERMINAL,
        /** A plain line every interval and at the end. */
        LINES,
        /** Nothing. */
        OFF
    }

    private final String label;
    private final int total;
    private final PrintStream out;
    private final boolean terminal, off;
    private final double intervalSeconds;
    private final long start = System.nanoTime();
    private long lastPrint = start;

    /**
     * A progress display of a loop of {@code total} steps.
     *
     * @param label text at the start of the line, e.g. {@code "epoch 3"}
     * @param total number of steps
     * @param mode how to show progress
     * @param out where the lines go
     * @param intervalSeconds seconds between plain lines in {@link Mode#LINES} mode
     */
    public Progress(String label, int total, Mode mode, PrintStream out, double intervalSeconds) {
        this.label = label;
        this.total = total;
        this.out = out;
        this.off = mode == Mode.OFF;
        this.terminal = mode == Mode.TERMINAL || (mode == Mode.AUTO && System.console() != null);
        this.intervalSeconds = intervalSeconds;
    }

    /**
     * Reports that {@code done} of {@code total} steps are finished after {@code samples} samples.
     *
     * @param done steps finished
     * @param samples samples processed so far
     * @param loss current mean loss
     */
    public void update(int done, long samples, double loss) {
        if (off) return;
        long now = System.nanoTime();
        boolean last = done >= total;
        if (!last && (now - lastPrint) < (terminal ? 100_000_000L : (long) (intervalSeconds * 1e9))) return;
        lastPrint = now;
        double secs = Math.max(1e-9, (now - start) / 1e9);
        double eta = done == 0 ? 0 : secs * (total - done) / done;
        String line = String.format(Locale.ROOT, "%s %s %d/%d  %,.0f samples/s  loss %.4f  %s %s", label, bar(done), done, total,
                samples / secs, loss, last ? "took" : "ETA", seconds(last ? secs : eta));
        if (terminal) {
            out.print("\r" + line + (last ? "\n" : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }

    private String bar(int done) {
        int width = 24, filled = total == 0 ? width : (int) ((long) width * done / total);
        return "[" + "=".repeat(filled) + (filled < width ? ">" + " ".repeat(width - filled - 1) : "") + "]";
    }

    static String seconds(double s) {
        return s < 60 ? String.format(Locale.ROOT, "%.1fs", s) : String.format(Locale.ROOT, "%dm%02ds", (int) s / 60, (int) s % 60);
    }
}
