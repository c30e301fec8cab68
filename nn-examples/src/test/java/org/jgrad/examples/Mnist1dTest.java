package org.jgrad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.jgrad.data.TensorDataset;
import org.junit.jupiter.api.Test;

class Mnist1dTest {

    private static final Mnist1d.Split DATA = Mnist1d.generate(5000, 42);

    @Test
    void defaultRecipeGives4000TrainingAnd1000TestSequencesOf40Points() {
        assertThat(DATA.train().features().shape()).containsExactly(4000, Mnist1d.LENGTH);
        assertThat(DATA.train().labels().shape()).containsExactly(4000);
        assertThat(DATA.test().features().shape()).containsExactly(1000, 40);
        int[] perClass = new int[Mnist1d.CLASSES];
        for (TensorDataset part : new TensorDataset[] {DATA.train(), DATA.test()}) {
            for (float y : part.labels().toArray()) {
                assertThat(y).isBetween(0f, 9f).isEqualTo((float) Math.round(y));
                perClass[(int) y]++;
            }
        }
        assertThat(perClass).containsOnly(500);
        // shuffled: the training part is not one class after the other
        assertThat(classesIn(DATA.train(), 0, 50)).isGreaterThan(5);
    }

    @Test
    void dataAreStandardisedAsAWhole() {
        float[] tr = DATA.train().features().toArray(), te = DATA.test().features().toArray();
        double sum = 0, sq = 0;
        for (float v : tr) sum += v;
        for (float v : te) sum += v;
        double n = tr.length + te.length, mean = sum / n;
        for (float v : tr) sq += (v - mean) * (v - mean);
        for (float v : te) sq += (v - mean) * (v - mean);
        assertThat(mean).isCloseTo(0, within(1e-5));
        assertThat(Math.sqrt(sq / n)).isCloseTo(1, within(1e-4));
    }

    @Test
    void theSeedDecidesEverything() {
        var again = Mnist1d.generate(5000, 42);
        assertThat(again.train().features().toArray()).isEqualTo(DATA.train().features().toArray());
        assertThat(again.test().labels().toArray()).isEqualTo(DATA.test().labels().toArray());
        assertThat(Mnist1d.generate(5000, 43).train().features().toArray()).isNotEqualTo(DATA.train().features().toArray());
    }

    @Test
    void templatesAreWhitenedAndStartAndEndAtZero() {
        double[][] t = Mnist1d.templates();
        assertThat(t).hasDimensions(10, 12);
        for (double[] d : t) {
            assertThat(d[0]).isZero();
            assertThat(d[11]).isCloseTo(0, within(1e-12));   // every raw digit starts and ends at 5
            double mean = 0, var = 0;
            for (double v : d) mean += v / d.length;
            for (double v : d) var += (v - mean) * (v - mean) / d.length;
            assertThat(Math.sqrt(var)).as("standardised, then divided by 6").isCloseTo(1 / 6.0, within(1e-12));
        }
    }

    /** The reference reports 68% for an MLP and 32% for logistic regression; nearest neighbour is well above chance (10%) too. */
    @Test
    void theDigitsAreDistinguishable() {
        float[] tr = DATA.train().features().toArray(), te = DATA.test().features().toArray();
        float[] ytr = DATA.train().labels().toArray(), yte = DATA.test().labels().toArray();
        int len = Mnist1d.LENGTH, right = 0;
        for (int i = 0; i < yte.length; i++) {
            int best = -1;
            double bestDist = Double.MAX_VALUE;
            for (int j = 0; j < ytr.length; j++) {
                double d = 0;
                for (int k = 0; k < len; k++) {
                    double diff = te[i * len + k] - tr[j * len + k];
                    d += diff * diff;
                }
                if (d < bestDist) {
                    bestDist = d;
                    best = j;
                }
            }
            if (ytr[best] == yte[i]) right++;
        }
        double accuracy = right / (double) yte.length;
        System.out.printf("MNIST-1D 1-nearest-neighbour test accuracy %.3f%n", accuracy);
        assertThat(accuracy).isGreaterThan(0.3);
    }

    @Test
    void randomLabelsKeepTheFeaturesAndForgetTheClasses() {
        TensorDataset random = Mnist1d.randomLabels(DATA.train(), 7);
        assertThat(random.features().toArray()).isEqualTo(DATA.train().features().toArray());
        assertThat(Mnist1d.randomLabels(DATA.train(), 7).labels().toArray()).isEqualTo(random.labels().toArray());
        float[] y = random.labels().toArray(), truth = DATA.train().labels().toArray();
        int same = 0;
        int[] counts = new int[10];
        for (int i = 0; i < y.length; i++) {
            counts[(int) y[i]]++;
            if (y[i] == truth[i]) same++;
        }
        assertThat(same / (double) y.length).as("agreement with the true labels ≈ chance").isCloseTo(0.1, within(0.02));
        for (int c : counts) assertThat(c).isBetween(320, 480);   // 400 each ± about 4 standard deviations
    }

    @Test
    void helpersBehaveLikeTheirNumPyAndSciPyCounterparts() {
        // np.interp on linspace grids keeps the end points and is linear in between
        assertThat(Mnist1d.interpolate(new double[] {0, 2, 4}, 5)).containsExactly(0, 1, 2, 3, 4);
        // the normalised, mirrored Gaussian filter leaves a constant alone and keeps the total of a spike far from the edges
        double[] constant = new double[20];
        java.util.Arrays.fill(constant, 3);
        for (double v : Mnist1d.smooth(constant)) assertThat(v).isCloseTo(3, within(1e-12));
        double[] spike = new double[40];
        spike[20] = 1;
        double total = 0;
        for (double v : Mnist1d.smooth(spike)) total += v;
        assertThat(total).isCloseTo(1, within(1e-12));
        assertThatThrownBy(() -> Mnist1d.generate(5, 1)).hasMessageContaining("Mnist1d").hasMessageContaining("5");
    }

    private static int classesIn(TensorDataset data, int from, int to) {
        return (int) java.util.stream.IntStream.range(from, to).mapToDouble(i -> data.labels().get(i)).distinct().count();
    }
}
