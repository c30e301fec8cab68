package org.jgrad.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The library must work without {@code --add-modules jdk.incubator.vector} (a JShell user who
 * forgot it): scalar kernels take over and one line says how to enable SIMD. Runs a child JVM.
 */
class SimdFallbackTest {

    /** What the child JVM runs: a small computation whose result the parent checks. */
    public static final class Probe {
        public static void main(String[] args) {
            Tensor x = Tensor.arange(100).reshape(10, 10).div(10f).requiresGrad();
            Tensor y = x.matmul(x.T()).tanh().softmax(1).sum();
            y.backward();
            System.out.println("simd=" + org.jgrad.core.kernels.Simd.ENABLED);
            System.out.println("sum=" + y.item() + " grad=" + x.grad().sum().item());
        }
    }

    private static List<String> run(String... jvmArgs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = Path.of("target", "classes").toAbsolutePath() + File.pathSeparator + Path.of("target", "test-classes").toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", cp, Probe.class.getName()));
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        return List.of(out, err);
    }

    @Test
    void withoutTheModuleScalarKernelsRunAndOneLineSaysHowToEnableSimd() throws Exception {
        List<String> without = run();
        assertThat(without.get(0)).contains("simd=false");
        assertThat(without.get(1).lines().filter(l -> l.contains("--add-modules jdk.incubator.vector")).count()).isEqualTo(1);
        assertThat(without.get(1)).contains("about 10x slower");
        List<String> with = run("--add-modules", "jdk.incubator.vector");
        assertThat(with.get(0)).contains("simd=true");
        assertThat(with.get(1)).doesNotContain("SIMD kernels off");
        // same computation, same answer up to rounding
        double a = Double.parseDouble(without.get(0).replaceAll("(?s).*sum=(\\S+).*", "$1"));
        double b = Double.parseDouble(with.get(0).replaceAll("(?s).*sum=(\\S+).*", "$1"));
        assertThat(a).isCloseTo(b, org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void aSystemPropertyForcesTheScalarPath() throws Exception {
        List<String> forced = run("--add-modules", "jdk.incubator.vector", "-Djgrad.simd=false");
        assertThat(forced.get(0)).contains("simd=false");
        assertThat(forced.get(1)).doesNotContain("SIMD kernels off");
    }
}
