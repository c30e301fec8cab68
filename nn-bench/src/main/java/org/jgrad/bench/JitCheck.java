package org.jgrad.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jgrad.core.Parallel;

/**
 * How often a fresh JVM compiles the kernels badly: {@code JitCheck [JVMS [THREADS]]} runs the
 * reference CNN's {@code Trainer} step in JVMS fresh JVMs (default 12, 2 threads) and prints, per
 * JVM, the MiB allocated per steady step (all threads). A kernel whose vector stores C2 failed to
 * intrinsify boxes its vectors, so the figure jumps from ~0.3 MiB to 1–3 MiB (a few stores) or to
 * ~80–100 MiB (a layout transpose's, the step then several times slower). Seen on JDK 17.0.15 in
 * 8 and 2 of 36 JVMs respectively; not on JDK 25. One JVM says nothing: compare rates over a
 * dozen or more.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp nn-bench/target/benchmarks.jar org.jgrad.bench.JitCheck 16
 * </pre>
 */
public final class JitCheck {

    /** Steps before measuring: compiles done, pools filled. */
    private static final int WARM_STEPS = 40;
    /** Steps measured, in blocks whose median is reported. */
    private static final int BLOCKS = 4, STEPS_PER_BLOCK = 5;

    private JitCheck() {}

    /**
     * Runs the check.
     *
     * @param args {@code [jvms [threads]]}, or {@code child threads} inside a child JVM
     * @throws IOException when a child JVM cannot be run
     */
    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("child")) {
            child(Integer.parseInt(args[1]));
            return;
        }
        int jvms = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        if (jvms < 1 || threads < 1) throw new IllegalArgumentException("JitCheck: expected JVMS >= 1 and THREADS >= 1, got " + jvms + ", " + threads);
        List<Double> mib = new ArrayList<>();
        for (int i = 0; i < jvms; i++) {
            double[] got = {Double.NaN};
            int code = ChildJvm.run(List.of(), JitCheck.class, List.of("child", Integer.toString(threads)), line -> {
                if (line.startsWith("MiB per step ")) got[0] = Double.parseDouble(line.substring("MiB per step ".length()));
            });
            if (code != 0 || Double.isNaN(got[0])) throw new IOException("JitCheck: child JVM " + (i + 1) + " failed (exit " + code + ")");
            System.out.printf(Locale.ROOT, "JVM %2d: %8.3f MiB per step%n", i + 1, got[0]);
            mib.add(got[0]);
        }
        long over1 = mib.stream().filter(m -> m > 1).count(), over10 = mib.stream().filter(m -> m > 10).count();
        System.out.printf(Locale.ROOT, "%s, CNN Trainer step, %d threads: %d of %d JVMs above 1 MiB per step, %d above 10 MiB%n",
                System.getProperty("java.vm.version"), threads, over1, jvms, over10);
    }

    private static void child(int threads) {
        Parallel.setThreads(threads);
        double[] mib = Suite.mibPerStep(Suite.cnnStep(threads).setup().build(), WARM_STEPS, BLOCKS, STEPS_PER_BLOCK);
        System.out.printf(Locale.ROOT, "MiB per step %.4f%n", mib[BLOCKS / 2]);
    }
}
