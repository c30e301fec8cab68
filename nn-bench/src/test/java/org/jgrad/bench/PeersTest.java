package org.jgrad.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing of ../shared/peers/run.sh output (samples copied from its format), and the ratios. */
class PeersTest {

    @Test
    void gemmTakesTheFasterOfAsSetAndUnset() {
        String out = """
                ## OPENBLAS_* as set
                # numpy 1.26.4 | python 3.12
                lib     T     M     K     N      min   median      max  GFLOPS  (inner calls/rep, maxrelerr)
                numpy   1  1024  1024  1024    120.0    123.0    125.0  (12, 1.0e-07)
                numpy   1   128   784   512    100.0    110.5    111.0  (40, 1.0e-07)
                ## OPENBLAS_* unset
                numpy   1  1024  1024  1024    220.0    228.0    230.0  (20, 1.0e-07)
                numpy   1   128   784   512     90.0    104.0    105.0  (40, 1.0e-07)
                """;
        assertThat(Peers.parseGemm(out, 1)).containsExactly(entry("sgemm n=1024 T=1", 228.0),
                entry("sgemm (128x784)(784x512) T=1", 110.5));
    }

    @Test
    void convAndTrainingFigures() {
        String conv = """
                ## OPENBLAS_* as set
                forward  T=1 mkldnn=1  time ms min 8.1 median 8.5 max 9.0  GFLOPS(median) 148.2  (best 150.0, worst 140.0; inner=30)
                fwd+bwd  T=1 mkldnn=1  time ms min 20.0 median 20.5 max 21.0  GFLOPS(median) 190.0  (best 194.0, worst 180.0; inner=12)
                ## OPENBLAS_* unset
                forward  T=1 mkldnn=1  time ms min 8.1 median 8.5 max 9.0  GFLOPS(median) 147.0  (best 150.0, worst 140.0; inner=30)
                fwd+bwd  T=1 mkldnn=1  time ms min 20.0 median 20.5 max 21.0  GFLOPS(median) 194.5  (best 194.0, worst 180.0; inner=12)
                """;
        assertThat(Peers.parseConv(conv, 1)).containsExactly(entry("conv2 32->64 5x5 14x14 N=64 forward T=1", 148.2),
                entry("conv2 32->64 5x5 14x14 N=64 fwd+bwd T=1", 194.5));
        String train = """
                SUMMARY mlp T=1 mkldnn=True: img/s min 60000 median 61000 max 62000; epoch_s median 0.98; final test_acc 0.8300
                SUMMARY mlp T=1 mkldnn=True: img/s min 65000 median 66000 max 67000; epoch_s median 0.90; final test_acc 0.8300
                """;
        assertThat(Peers.parseTrain(train, 1)).containsExactly(entry(Suite.mlpEpochName(1), 66000.0));
        assertThat(Peers.parseTrain("Traceback (most recent call last):\n", 1)).isEmpty();
    }

    @Test
    void ratiosAreJgradOverPeerForMatchingNames() {
        List<Figure> jgrad = List.of(new Figure("sgemm n=1024 T=1", "GFLOPS", 114, "±3.0%", null),
                new Figure("sgemm n=256 T=1", "GFLOPS", 80, "±3.0%", null));
        List<Figure> r = Peers.ratios(jgrad, Map.of("sgemm n=1024 T=1", 228.0), Map.of("sgemm n=1024 T=1", "OpenBLAS"), "env");
        assertThat(r).hasSize(1);
        assertThat(r.get(0).name()).isEqualTo("ratio sgemm n=1024 T=1 jgrad/OpenBLAS");
        assertThat(r.get(0).value()).isEqualTo(0.5);
        assertThat(r.get(0).range()).isEqualTo("±3.0%");
        assertThat(r.get(0).extra()).startsWith("jgrad 114.0 GFLOPS; OpenBLAS 228.0 GFLOPS");
    }

    @Test
    void everyPeerFigureHasAMatchingJgradWorkload() {
        for (String name : List.of("sgemm n=128 T=1", "sgemm n=2048 T=1", "sgemm (128x784)(784x512) T=1", "sgemm (128x512)(512x256) T=1",
                Suite.convName(false, false, 1), Suite.convName(false, true, 1), Suite.mlpEpochName(1), Suite.cnnEpochName(1))) {
            assertThat(Report.jgradItem(name, false)).as(name).isNotNull().extracting(Suite.Item::name).isEqualTo(name);
        }
        assertThat(Report.jgradItem("sgemm n=2048 T=1", true)).as("quick skips the big square").isNull();
    }
}
