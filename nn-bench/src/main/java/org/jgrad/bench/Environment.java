package org.jgrad.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.jgrad.core.Parallel;
import org.jgrad.core.kernels.Simd;

/** The machine facts every figure carries in its {@code extra}: JDK, vector species, threads, CPU. */
record Environment(String jdk, String simd, int lanes, int threads, String cpu) {

    static Environment current() {
        return new Environment(System.getProperty("java.vendor", "?") + " " + Runtime.version(),
                Simd.describe(), Simd.lanes(), Parallel.threads(), cpuModel(Path.of("/proc/cpuinfo")));
    }

    Environment withThreads(int t) {
        return new Environment(jdk, simd, lanes, t, cpu);
    }

    /** The first "model name" of a /proc/cpuinfo-style file, else os.arch. */
    static String cpuModel(Path cpuinfo) {
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse(System.getProperty("os.arch"));
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
    }

    /** "JDK …; SIMD 512-bit (16 floats), species length 16; threads 2; CPU …". */
    String describe() {
        return "JDK " + jdk + "; " + simd + ", species length " + lanes + "; threads " + threads
                + " of " + Runtime.getRuntime().availableProcessors() + "; CPU " + cpu;
    }
}
