package org.jgrad.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jgrad.core.Tensor;
import org.jgrad.nn.BatchNorm1d;
import org.jgrad.nn.Dropout;
import org.jgrad.nn.Linear;
import org.jgrad.nn.MSELoss;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.optim.Adam;
import org.jgrad.optim.CosineAnnealingLR;
import org.jgrad.optim.ExponentialLR;
import org.jgrad.optim.InverseTimeLR;
import org.jgrad.optim.LRScheduler;
import org.jgrad.optim.LinearWarmup;
import org.jgrad.optim.Optimizer;
import org.jgrad.optim.ReduceLROnPlateau;
import org.jgrad.optim.SGD;
import org.jgrad.optim.Scheduler;
import org.jgrad.optim.StepLR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointTest {

    @TempDir
    Path dir;

    private static final int N = 32, BATCH = 8, K = 7, M = 9;
    private static final Tensor X = Tensor.randn(new SplittableRandom(10), N, 3), Y = Tensor.randn(new SplittableRandom(11), N, 1);

    /**
     * A model, its optimizer, its learning-rate scheduler (or null) and the one generator the loop
     * draws from (mini-batches and dropout).
     */
    private record Run(Module model, Optimizer<?> opt, Scheduler sched, RestorableRandom rng) {
        static Run fresh(long seed, String optimizer) {
            return fresh(seed, optimizer, "none");
        }

        static Run fresh(long seed, String optimizer, String schedule) {
            var init = new SplittableRandom(seed);
            var rng = new RestorableRandom(seed * 31);
            Module model = new Sequential(new Linear(3, 16, init), new BatchNorm1d(16), new ReLU(), new Dropout(0.3f, rng), new Linear(16, 1, init));
            Function<Module, Optimizer<?>> make = switch (optimizer) {
                case "adam" -> m -> new Adam(m.parameters(), 0.01f).weightDecay(1e-3f);
                case "sgd" -> m -> new SGD(m.parameters(), 0.05f).momentum(0.9f);
                default -> throw new IllegalArgumentException(optimizer);
            };
            Optimizer<?> opt = make.apply(model);
            Scheduler sched = switch (schedule) {
                case "none" -> null;
                case "step" -> new StepLR(opt, 3, 0.5f);
                case "cosine" -> new CosineAnnealingLR(opt, 20, 1e-3f);
                case "exponential" -> new ExponentialLR(opt, 0.9f);
                case "warmup" -> new LinearWarmup(opt, 10, 0.1f);
                case "inverse-time" -> new InverseTimeLR(opt, 4f);
                // patience 1 and a cooldown: a noisy per-step loss keeps both counters busy
                case "plateau" -> new ReduceLROnPlateau(opt, ReduceLROnPlateau.Mode.MIN, 0.5f, 1, 1e-4f, 1, 0f);
                default -> throw new IllegalArgumentException(schedule);
            };
            return new Run(model, opt, sched, rng);
        }

        void train(int steps) {
            var loss = new MSELoss();
            for (int s = 0; s < steps; s++) {
                float[] xb = new float[BATCH * 3], yb = new float[BATCH];
                for (int i = 0; i < BATCH; i++) {
                    int r = rng.nextInt(N);
                    System.arraycopy(X.data(), 3 * r, xb, 3 * i, 3);
                    yb[i] = Y.data()[r];
                }
                opt.zeroGrad();
                Tensor l = loss.forward(model.forward(Tensor.of(xb, BATCH, 3)), Tensor.of(yb, BATCH, 1));
                l.backward();
                opt.step();
                if (sched instanceof LRScheduler ls) ls.step();
                else if (sched instanceof ReduceLROnPlateau rp) rp.step(l.item());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"adam", "sgd"})
    void resumedTrainingIsBitwiseEqualToTrainingStraightThrough(String optimizer) throws IOException {
        Run straight = Run.fresh(1, optimizer);
        straight.train(K + M);

        Run first = Run.fresh(1, optimizer);
        first.train(K);
        Path p = dir.resolve("ckpt.safetensors");
        Checkpoint.save(p, first.model, first.opt, 0, K, first.rng);

        Run resumed = Run.fresh(2, optimizer);                      // other weights, other generator state
        var at = Checkpoint.load(p, resumed.model, resumed.opt, resumed.rng);
        assertThat(at).isEqualTo(new Checkpoint.Progress(0, K));
        resumed.train(M);

        assertBitwiseEqual(resumed.model.stateDict(), straight.model.stateDict());
        assertBitwiseEqual(resumed.opt.stateDict(), straight.opt.stateDict());
        assertThat(resumed.rng.state()).isEqualTo(straight.rng.state());
    }

    /**
     * The scheduler's position is saved: resumed after any step, every schedule continues where
     * it stopped and the weights are bitwise those of a straight run. Before, it was not saved: a
     * resumed schedule started over from t = 0 (and ReduceLROnPlateau forgot its best value and
     * counters) unless the caller replayed step().
     */
    @ParameterizedTest
    @ValueSource(strings = {"step", "cosine", "exponential", "warmup", "inverse-time", "plateau"})
    void resumedTrainingWithASchedulerIsBitwiseEqualToTrainingStraightThrough(String schedule) throws IOException {
        Run straight = Run.fresh(1, "sgd", schedule);
        List<Map<String, String>> states = new ArrayList<>();
        for (int k = 0; k < K + M; k++) {
            straight.train(1);
            states.add(straight.sched.stateDict());
        }
        if (schedule.equals("plateau")) {
            // the counters are exercised: some steps end inside a plateau, some inside a cooldown
            assertThat(states).anyMatch(st -> !st.get("num_bad_epochs").equals("0")).anyMatch(st -> !st.get("cooldown_counter").equals("0"));
        }
        Path p = dir.resolve("ckpt.safetensors");
        for (int k = 1; k < K + M; k++) {
            Run first = Run.fresh(1, "sgd", schedule);
            first.train(k);
            Checkpoint.save(p, first.model, first.opt, first.sched, 1, k, first.rng);
            assertThat(first.sched.stateDict()).isEqualTo(states.get(k - 1));

            Run resumed = Run.fresh(2, "sgd", schedule);            // other weights, generator, and a schedule at its start
            var at = Checkpoint.load(p, resumed.model, resumed.opt, resumed.sched, resumed.rng);
            assertThat(at).isEqualTo(new Checkpoint.Progress(1, k));
            assertThat(resumed.sched.stateDict()).as("after step %d", k).isEqualTo(first.sched.stateDict());
            assertThat(resumed.opt.lr()).isEqualTo(first.opt.lr());
            resumed.train(K + M - k);

            assertBitwiseEqual(resumed.model.stateDict(), straight.model.stateDict());
            assertBitwiseEqual(resumed.opt.stateDict(), straight.opt.stateDict());
            assertThat(resumed.sched.stateDict()).as("resumed after step %d", k).isEqualTo(straight.sched.stateDict());
            assertThat(resumed.rng.state()).isEqualTo(straight.rng.state());
        }
    }

    /** The model class was documented as checked on load but was not: a Sequential's state loaded into another class with the same names. */
    @Test
    void aCheckpointOfAnotherModelClassIsRefusedAndChangesNothing() throws IOException {
        Module seq = new Sequential(new Linear(3, 2, new SplittableRandom(1)));
        Path p = dir.resolve("ckpt.safetensors");
        Checkpoint.save(p, seq, new SGD(seq.parameters(), 0.1f), 0, 0, new RestorableRandom(0));
        Module other = new Module() {
            private final Linear inner = registerModule("0", new Linear(3, 2, new SplittableRandom(2)));

            @Override
            public Tensor forward(Tensor x) {
                return inner.forward(x);
            }
        };
        assertThat(other.stateDict().keySet()).isEqualTo(seq.stateDict().keySet());
        var before = TestFiles.snapshot(other.stateDict());
        assertThatThrownBy(() -> Checkpoint.load(p, other, new SGD(other.parameters(), 0.1f), new RestorableRandom(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(p + ": holds the state of a org.jgrad.nn.Sequential model, not of a " + other.getClass().getName());
        other.stateDict().forEach((k, t) -> assertThat(t.toArray()).as(k).isEqualTo(before.get(k)));
    }

    /** Negative epochs and steps were written and read back as they were. */
    @Test
    void negativeCountersAreRefusedOnSaveAndOnLoad() throws IOException {
        Run a = Run.fresh(1, "sgd");
        a.train(2);
        Path p = dir.resolve("ckpt.safetensors");
        Checkpoint.save(p, a.model, a.opt, 3, 2, a.rng);
        byte[] good = Files.readAllBytes(p);
        assertThatThrownBy(() -> Checkpoint.save(p, a.model, a.opt, -1, 2, a.rng)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Checkpoint.save " + p + ": epoch is -1; expected a count ≥ 0 (nothing was written)");
        assertThatThrownBy(() -> Checkpoint.save(p, a.model, a.opt, 0, -5, a.rng)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Checkpoint.save " + p + ": step is -5; expected a count ≥ 0 (nothing was written)");
        assertThat(Files.readAllBytes(p)).isEqualTo(good);

        Run b = Run.fresh(2, "sgd");
        b.train(1);
        var before = Snapshot.of(b);
        Path forged = forge(p, "negative.safetensors", m -> m.put("epoch", "-3"), t -> { });
        assertThatThrownBy(() -> Checkpoint.load(forged, b.model, b.opt, b.rng)).isInstanceOf(IOException.class)
                .hasMessage(forged + ": checkpoint metadata 'epoch' is -3; expected a count ≥ 0");
        Path forged2 = forge(p, "negative-step.safetensors", m -> m.put("step", "-1"), t -> { });
        assertThatThrownBy(() -> Checkpoint.load(forged2, b.model, b.opt, b.rng)).isInstanceOf(IOException.class)
                .hasMessage(forged2 + ": checkpoint metadata 'step' is -1; expected a count ≥ 0");
        before.assertUnchanged(b);
    }

    /**
     * NaN or infinite weights or optimizer state were saved (over the last good checkpoint) and
     * loaded back, to resume a run that could only produce NaN.
     */
    @Test
    void nonFiniteWeightsOrOptimizerStateAreRefusedOnSaveAndOnLoad() throws IOException {
        Run a = Run.fresh(1, "sgd");
        a.train(2);
        Path p = dir.resolve("ckpt.safetensors");
        Checkpoint.save(p, a.model, a.opt, 0, 2, a.rng);
        byte[] good = Files.readAllBytes(p);

        Tensor w = a.model.stateDict().get("0.weight");
        float keep = w.data()[5];
        w.data()[5] = Float.NaN;
        assertThatThrownBy(() -> Checkpoint.save(p, a.model, a.opt, 0, 2, a.rng)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Checkpoint.save " + p + ": model.0.weight holds NaN at index 5 of 48; expected finite values (has training diverged?);"
                        + " nothing was written");
        w.data()[5] = keep;
        SGD.State st = (SGD.State) a.opt.state(a.model.parameters().get(0));
        st.tensors().get("momentum_buffer").data()[1] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> Checkpoint.save(p, a.model, a.opt, 0, 2, a.rng)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Checkpoint.save " + p + ": optimizer.state.0.momentum_buffer holds Infinity at index 1 of 48");
        assertThat(Files.readAllBytes(p)).isEqualTo(good);

        Run b = Run.fresh(2, "sgd");
        b.train(1);
        var before = Snapshot.of(b);
        Path nanWeight = forge(p, "nan-weight.safetensors", m -> { }, t -> t.get("model.4.bias").data()[0] = Float.NaN);
        assertThatThrownBy(() -> Checkpoint.load(nanWeight, b.model, b.opt, b.rng)).isInstanceOf(IOException.class)
                .hasMessage(nanWeight + ": model.4.bias holds NaN at index 0 of 1; a checkpoint holds finite values only");
        Path nanMomentum = forge(p, "nan-momentum.safetensors", m -> { }, t -> t.get("optimizer.state.2.momentum_buffer").data()[7] = Float.NaN);
        assertThatThrownBy(() -> Checkpoint.load(nanMomentum, b.model, b.opt, b.rng)).isInstanceOf(IOException.class)
                .hasMessage(nanMomentum + ": optimizer.state.2.momentum_buffer holds NaN at index 7 of 16; a checkpoint holds finite values only");
        before.assertUnchanged(b);
    }

    /** A dropped momentum buffer was accepted: the parameter resumed from a zero buffer as if it had been stepped with one. */
    @Test
    void incompleteMisShapedOrOutOfRangeOptimizerStateIsRefused() throws IOException {
        Run a = Run.fresh(1, "sgd");
        a.train(2);
        Path p = dir.resolve("ckpt.safetensors");
        Checkpoint.save(p, a.model, a.opt, 0, 2, a.rng);
        Run b = Run.fresh(2, "sgd");
        b.train(1);
        var before = Snapshot.of(b);

        Path dropped = forge(p, "dropped.safetensors", m -> { }, t -> t.remove("optimizer.state.1.momentum_buffer"));
        assertThatThrownBy(() -> Checkpoint.load(dropped, b.model, b.opt, b.rng)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(dropped + ": SGD.loadStateDict: the state of parameter 1 lacks [momentum_buffer] (it has [step]);"
                        + " expected all of [step, momentum_buffer] or none");
        Path misShaped = forge(p, "mis-shaped.safetensors", m -> { }, t -> t.put("optimizer.state.1.momentum_buffer", Tensor.zeros(15)));
        assertThatThrownBy(() -> Checkpoint.load(misShaped, b.model, b.opt, b.rng)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(misShaped + ": SGD.loadStateDict: 'state.1.momentum_buffer' has shape [15], expected [16]");
        Path negativeStep = forge(p, "negative-step.safetensors", m -> { }, t -> t.put("optimizer.state.0.step", Tensor.of(new float[] {-2}, 1)));
        assertThatThrownBy(() -> Checkpoint.load(negativeStep, b.model, b.opt, b.rng)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(negativeStep + ": SGD.loadStateDict: 'state.0.step' is [-2.0]; expected one whole number ≥ 0");
        Path badLr = forge(p, "bad-lr.safetensors", m -> { }, t -> t.put("optimizer.param_groups.0.lr", Tensor.scalar(-0.5f)));
        assertThatThrownBy(() -> Checkpoint.load(badLr, b.model, b.opt, b.rng)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(badLr + ": SGD.loadStateDict: 'param_groups.0.lr' is [-0.5]; expected one finite value ≥ 0");
        before.assertUnchanged(b);
    }

    /**
     * Scheduler state must be there when a scheduler is passed, be passed when it is there, be of
     * the same class and in range; a refusal leaves model, optimizer, scheduler and generator as
     * they were (the scheduler is restored first, then the optimizer).
     */
    @Test
    void schedulerStateThatIsMissingForeignOrOutOfRangeIsRefusedAndChangesNothing() throws IOException {
        Run a = Run.fresh(1, "sgd", "step");
        a.train(4);
        Path with = dir.resolve("with.safetensors"), without = dir.resolve("without.safetensors");
        Checkpoint.save(with, a.model, a.opt, a.sched, 0, 4, a.rng);
        Checkpoint.save(without, a.model, a.opt, 0, 4, a.rng);
        Run b = Run.fresh(2, "sgd", "step");
        b.train(1);
        var before = Snapshot.of(b);

        assertThatThrownBy(() -> Checkpoint.load(with, b.model, b.opt, b.rng)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(with + ": holds the state of a org.jgrad.optim.StepLR learning-rate scheduler; expected it to be passed to"
                        + " Checkpoint.load (resuming without it would start the schedule over)");
        assertThatThrownBy(() -> Checkpoint.load(without, b.model, b.opt, b.sched, b.rng)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(without + ": holds no scheduler state (saved without a scheduler); expected one to restore the"
                        + " org.jgrad.optim.StepLR from; load it without the scheduler and replay the scheduler's step() calls");
        Run c = Run.fresh(2, "sgd", "cosine");
        assertThatThrownBy(() -> Checkpoint.load(with, c.model, c.opt, c.sched, c.rng)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(with + ": holds the state of a org.jgrad.optim.StepLR scheduler, not of a org.jgrad.optim.CosineAnnealingLR");
        Path negative = forge(with, "negative.safetensors", m -> m.put("scheduler.last_epoch", "-1"), t -> { });
        assertThatThrownBy(() -> Checkpoint.load(negative, b.model, b.opt, b.sched, b.rng)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(negative + ": StepLR.loadStateDict: 'last_epoch' is '-1'; expected a whole number ≥ 0");
        Path nanBase = forge(with, "nan-base.safetensors", m -> m.put("scheduler.base_lrs.0", "NaN"), t -> { });
        assertThatThrownBy(() -> Checkpoint.load(nanBase, b.model, b.opt, b.sched, b.rng)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(nanBase + ": StepLR.loadStateDict: 'base_lrs.0' is 'NaN'; expected a finite learning rate ≥ 0");
        // the scheduler's state fits, the optimizer's does not: the scheduler is put back
        Path noBuffer = forge(with, "no-buffer.safetensors", m -> { }, t -> t.remove("optimizer.state.0.momentum_buffer"));
        assertThatThrownBy(() -> Checkpoint.load(noBuffer, b.model, b.opt, b.sched, b.rng)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lacks [momentum_buffer]");
        before.assertUnchanged(b);

        Run d = Run.fresh(1, "sgd", "plateau");
        d.train(4);
        Path plateau = dir.resolve("plateau.safetensors");
        Checkpoint.save(plateau, d.model, d.opt, d.sched, 0, 4, d.rng);
        Run e = Run.fresh(2, "sgd", "plateau");
        var beforeE = Snapshot.of(e);
        Path nanBest = forge(plateau, "nan-best.safetensors", m -> m.put("scheduler.best", "NaN"), t -> { });
        assertThatThrownBy(() -> Checkpoint.load(nanBest, e.model, e.opt, e.sched, e.rng)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(nanBest + ": ReduceLROnPlateau.loadStateDict: 'best' is 'NaN'; expected a number");
        Path maxMode = forge(plateau, "max-mode.safetensors", m -> m.put("scheduler.mode", "MAX"), t -> { });
        assertThatThrownBy(() -> Checkpoint.load(maxMode, e.model, e.opt, e.sched, e.rng)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(maxMode + ": ReduceLROnPlateau.loadStateDict: 'mode' is 'MAX'; expected MIN, the mode of this scheduler");
        Path badCount = forge(plateau, "bad-count.safetensors", m -> m.put("scheduler.num_bad_epochs", "-2"), t -> { });
        assertThatThrownBy(() -> Checkpoint.load(badCount, e.model, e.opt, e.sched, e.rng)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(badCount + ": ReduceLROnPlateau.loadStateDict: 'num_bad_epochs' is '-2'; expected a whole number ≥ 0");
        beforeE.assertUnchanged(e);
    }

    /**
     * A version-1 checkpoint (saved before scheduler state existed; made by the code of commit 8aeda26) still
     * loads, without a scheduler, and restores exactly what it holds; with a scheduler it is refused.
     */
    @Test
    void aVersionOneCheckpointStillLoadsWithoutAScheduler() throws IOException {
        Path v1 = TestFiles.resource("checkpoint_v1_sgd.safetensors");
        var contents = SafeTensors.read(v1);
        assertThat(contents.metadata()).containsEntry("version", "1").doesNotContainKey("scheduler");
        Run b = Run.fresh(2, "sgd", "step");
        var before = Snapshot.of(b);
        assertThatThrownBy(() -> Checkpoint.load(v1, b.model, b.opt, b.sched, b.rng)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds no scheduler state (saved without a scheduler, by a jgrad whose checkpoints had none)");
        before.assertUnchanged(b);

        var at = Checkpoint.load(v1, b.model, b.opt, b.rng);
        assertThat(at).isEqualTo(new Checkpoint.Progress(1, 3));
        assertThat(b.rng.state()).isEqualTo(Long.parseLong(contents.metadata().get("rng_state")));
        Map<String, Tensor> saved = new java.util.LinkedHashMap<>();
        contents.tensors().forEach((k, t) -> {
            if (k.startsWith("model.")) saved.put(k.substring(6), t);
        });
        assertBitwiseEqual(b.model.stateDict(), saved);
        saved.clear();
        contents.tensors().forEach((k, t) -> {
            if (k.startsWith("optimizer.")) saved.put(k.substring(10), t);
        });
        assertBitwiseEqual(b.opt.stateDict(), saved);
        b.train(2);
        b.model.stateDict().forEach((k, t) -> assertThat(t.toArray()).as(k).doesNotContain(Float.NaN));
    }

    /** A copy of {@code good} with its metadata and tensors edited. */
    private Path forge(Path good, String name, Consumer<Map<String, String>> meta, Consumer<Map<String, Tensor>> tensors) throws IOException {
        var c = SafeTensors.read(good);
        Map<String, String> m = new java.util.LinkedHashMap<>(c.metadata());
        Map<String, Tensor> t = new java.util.LinkedHashMap<>(c.tensors());
        meta.accept(m);
        tensors.accept(t);
        Path p = dir.resolve(name);
        SafeTensors.write(p, t, m);
        return p;
    }

    /** Everything a refused load must leave alone. */
    private record Snapshot(Map<String, float[]> model, Map<String, float[]> optimizer, Map<String, String> scheduler, long rng) {
        static Snapshot of(Run r) {
            return new Snapshot(TestFiles.snapshot(r.model.stateDict()), TestFiles.snapshot(r.opt.stateDict()),
                    r.sched == null ? null : r.sched.stateDict(), r.rng.state());
        }

        void assertUnchanged(Run r) {
            assertThat(r.model.stateDict().keySet()).containsExactlyElementsOf(model.keySet());
            r.model.stateDict().forEach((k, t) -> assertThat(t.toArray()).as(k).isEqualTo(model.get(k)));
            assertThat(r.opt.stateDict().keySet()).containsExactlyElementsOf(optimizer.keySet());
            r.opt.stateDict().forEach((k, t) -> assertThat(t.toArray()).as(k).isEqualTo(optimizer.get(k)));
            if (r.sched != null) assertThat(r.sched.stateDict()).isEqualTo(scheduler);
            assertThat(r.rng.state()).isEqualTo(rng);
        }
    }

    @Test
    void aCheckpointForAnotherOptimizerIsRefusedAndChangesNothing() throws IOException {
        Run a = Run.fresh(1, "adam");
        a.train(2);
        Path p = dir.resolve("ckpt.safetensors");
        Checkpoint.save(p, a.model, a.opt, 3, 2, a.rng);
        Run b = Run.fresh(2, "sgd");
        var before = TestFiles.snapshot(b.model.stateDict());
        long rngBefore = b.rng.state();
        assertThatThrownBy(() -> Checkpoint.load(p, b.model, b.opt, b.rng)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(p.toString()).hasMessageContaining("org.jgrad.optim.Adam, not of a org.jgrad.optim.SGD");
        assertUnchanged(b, before, rngBefore);
    }

    @Test
    void aCorruptOrForeignFileIsRefusedAndChangesNothing() throws IOException {
        Run a = Run.fresh(1, "adam");
        a.train(2);
        Path p = dir.resolve("ckpt.safetensors");
        Checkpoint.save(p, a.model, a.opt, 0, 2, a.rng);
        byte[] good = Files.readAllBytes(p);
        Run b = Run.fresh(2, "adam");
        b.train(1);
        var before = TestFiles.snapshot(b.model.stateDict());
        long rngBefore = b.rng.state();

        Files.write(p, Arrays.copyOf(good, good.length - 3));
        assertThatThrownBy(() -> Checkpoint.load(p, b.model, b.opt, b.rng)).isInstanceOf(IOException.class).hasMessageStartingWith(p.toString());
        ModelFiles.save(a.model, p);
        assertThatThrownBy(() -> Checkpoint.load(p, b.model, b.opt, b.rng)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a jgrad checkpoint");
        Run other = new Run(new Sequential(new Linear(3, 2)), null, null, null);
        Checkpoint.save(p, other.model, new SGD(other.model.parameters(), 0.1f), 0, 0, new RestorableRandom(0));
        assertThatThrownBy(() -> Checkpoint.load(p, b.model, b.opt, b.rng)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model state does not fit");
        assertUnchanged(b, before, rngBefore);
    }

    private static void assertUnchanged(Run r, Map<String, float[]> before, long rngBefore) {
        r.model.stateDict().forEach((k, t) -> assertThat(t.toArray()).as(k).isEqualTo(before.get(k)));
        assertThat(r.rng.state()).isEqualTo(rngBefore);
    }

    private static void assertBitwiseEqual(Map<String, Tensor> got, Map<String, Tensor> want) {
        assertThat(got.keySet()).containsExactlyElementsOf(want.keySet());
        for (var e : want.entrySet()) {
            float[] g = got.get(e.getKey()).toArray(), w = e.getValue().toArray();
            assertThat(g.length).isEqualTo(w.length);
            for (int i = 0; i < w.length; i++) {
                assertThat(Float.floatToRawIntBits(g[i])).as("%s[%d]: %s vs %s", e.getKey(), i, g[i], w[i]).isEqualTo(Float.floatToRawIntBits(w[i]));
            }
        }
    }
}
