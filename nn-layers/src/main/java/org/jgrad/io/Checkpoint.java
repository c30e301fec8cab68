package org.jgrad.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jgrad.core.Tensor;
import org.jgrad.nn.Module;
import org.jgrad.optim.Optimizer;
import org.jgrad.optim.Scheduler;

/**
 * Everything training needs to resume exactly: the model's state dict, the optimizer's (its
 * per-parameter state and each group's learning rate and weight decay), the learning-rate
 * scheduler's position, the epoch and step counters and the random generator's state. Training
 * resumed from a checkpoint gives weights bitwise equal to training straight through, provided
 * the loop draws all its randomness from the {@link RestorableRandom} it checkpoints (shuffling,
 * dropout, augmentation) and rebuilds the model, optimizer and scheduler with the same code
 * (options such as Adam's betas or StepLR's step size are construction arguments, not state).
 *
 * <p>The file is a safetensors file (written atomically, F32) with tensors {@code model.<name>}
 * and {@code optimizer.<name>} and {@code __metadata__} entries {@code format} =
 * {@code jgrad-checkpoint}, {@code version} = {@code 2}, {@code epoch}, {@code step},
 * {@code rng_state} (decimal), {@code model} and {@code optimizer} (class names, checked on load:
 * a checkpoint of a {@code Sequential} does not load into another module class even if the
 * parameter names match), and when saved with a scheduler {@code scheduler} (its class name)
 * and {@code scheduler.<key>} for each entry of its {@link Scheduler#stateDict()}.
 *
 * <p><b>What is checked.</b> Saving refuses, with an {@link IllegalArgumentException} and
 * without touching the file, negative counters and any non-finite value in the model or the
 * optimizer state (a NaN checkpoint would overwrite the last good one). Loading refuses, before
 * changing anything: negative or malformed counters, non-finite values, a model or optimizer of
 * another class, model names or shapes that differ, optimizer state that is incomplete (each
 * stepped parameter needs all its buffers, e.g. SGD's {@code momentum_buffer}), mis-shaped or out
 * of range, and scheduler state that is missing, of another class or out of range.
 *
 * <p><b>Schedulers and older files.</b> A checkpoint saved with a scheduler must be loaded with
 * one ({@link #load(Path, Module, Optimizer, Scheduler, RestorableRandom)}), and one saved
 * without a scheduler without one: either mismatch is refused, since resuming would silently
 * restart the schedule. Version-1 checkpoints (written before scheduler state was saved) still
 * load, without a scheduler; to resume their schedule, replay its {@code step()} calls.
 *
 * <p><b>Errors</b> follow {@link ModelFiles}: {@link IOException} for a file that is unreadable,
 * corrupt (including negative counters or non-finite values) or not a checkpoint;
 * {@link IllegalArgumentException} for a valid checkpoint that does not fit the model, optimizer
 * or scheduler. Either way nothing is changed: the model, optimizer, scheduler and generator are
 * touched only after the whole file has been read and matched.
 *
 * <pre>{@code
 * jshell> Checkpoint.save(path, model, opt, sched, epoch, step, rng);
 * jshell> var at = Checkpoint.load(path, model, opt, sched, rng);   // at.epoch(), at.step()
 * }</pre>
 */
public final class Checkpoint {

    static final String FORMAT = "jgrad-checkpoint", VERSION = "2";
    private static final Set<String> READABLE = Set.of("1", "2");
    private static final String MODEL = "model.", OPTIMIZER = "optimizer.", SCHEDULER = "scheduler";

    private Checkpoint() {}

    /**
     * Where training stood when the checkpoint was saved.
     *
     * @param epoch the saved epoch counter, ≥ 0
     * @param step the saved step counter, ≥ 0
     */
    public record Progress(long epoch, long step) {}

    /**
     * Writes a checkpoint of {@code model}, {@code optimizer}, the counters and {@code rng}, atomically, with no scheduler.
     *
     * @param file destination, replaced atomically
     * @param model the model whose state dict is saved
     * @param optimizer the optimizer whose state dict is saved
     * @param epoch epoch counter to save, ≥ 0
     * @param step step counter to save, ≥ 0
     * @param rng generator whose state is saved
     * @throws IOException if the file cannot be written
     * @throws IllegalArgumentException for a negative counter or a non-finite value; the file is not touched
     */
    public static void save(Path file, Module model, Optimizer<?> optimizer, long epoch, long step, RestorableRandom rng) throws IOException {
        save(file, model, optimizer, null, epoch, step, rng);
    }

    /**
     * Writes a checkpoint of {@code model}, {@code optimizer}, {@code scheduler} (may be null: none),
     * the counters and {@code rng}, atomically.
     *
     * @param file destination, replaced atomically
     * @param model the model whose state dict is saved
     * @param optimizer the optimizer whose state dict is saved
     * @param scheduler the learning-rate scheduler whose state is saved, or null
     * @param epoch epoch counter to save, ≥ 0
     * @param step step counter to save, ≥ 0
     * @param rng generator whose state is saved
     * @throws IllegalArgumentException for a negative counter or a non-finite value in the model or
     *     optimizer state; the file is not touched
     * @throws IOException if the file cannot be written
     */
    public static void save(Path file, Module model, Optimizer<?> optimizer, Scheduler scheduler, long epoch, long step,
                            RestorableRandom rng) throws IOException {
        Objects.requireNonNull(rng, "rng");
        if (epoch < 0 || step < 0) {
            throw new IllegalArgumentException("Checkpoint.save " + file + ": " + (epoch < 0 ? "epoch is " + epoch : "step is " + step)
                    + "; expected a count ≥ 0 (nothing was written)");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.stateDict().forEach((k, t) -> tensors.put(MODEL + k, t));
        optimizer.stateDict().forEach((k, t) -> tensors.put(OPTIMIZER + k, t));
        for (var e : tensors.entrySet()) {
            String bad = nonFinite(e.getValue());
            if (bad != null) {
                throw new IllegalArgumentException("Checkpoint.save " + file + ": " + e.getKey() + " holds " + bad
                        + "; expected finite values (has training diverged?); nothing was written");
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("version", VERSION);
        meta.put("epoch", Long.toString(epoch));
        meta.put("step", Long.toString(step));
        meta.put("rng_state", Long.toString(rng.state()));
        meta.put("model", model.getClass().getName());
        meta.put("optimizer", optimizer.getClass().getName());
        if (scheduler != null) {
            meta.put(SCHEDULER, scheduler.getClass().getName());
            scheduler.stateDict().forEach((k, v) -> meta.put(SCHEDULER + "." + k, v));
        }
        SafeTensors.write(file, tensors, meta);
    }

    /**
     * Restores {@code model}, {@code optimizer} and {@code rng} in place from a checkpoint saved
     * without a scheduler (or a version-1 one) and returns the saved counters.
     *
     * @param file the checkpoint
     * @param model the model to restore, of the saved class
     * @param optimizer the optimizer to restore, of the saved class
     * @param rng generator set to the saved state
     * @return the saved epoch and step
     * @throws IOException if the file is unreadable, corrupt or not a checkpoint
     * @throws IllegalArgumentException if the checkpoint does not fit the model or optimizer, or holds a scheduler
     */
    public static Progress load(Path file, Module model, Optimizer<?> optimizer, RestorableRandom rng) throws IOException {
        return load(file, model, optimizer, null, rng);
    }

    /**
     * Restores {@code model}, {@code optimizer}, {@code scheduler} (null: the checkpoint must hold
     * none) and {@code rng} in place from {@code file} and returns the saved counters.
     *
     * @param file the checkpoint
     * @param model the model to restore, of the saved class
     * @param optimizer the optimizer to restore, of the saved class
     * @param scheduler the scheduler to restore, of the saved class; null if none was saved
     * @param rng generator set to the saved state
     * @return the saved epoch and step
     * @throws IOException if the file is unreadable, corrupt or not a checkpoint
     * @throws IllegalArgumentException if the checkpoint does not fit the model, optimizer or scheduler
     */
    public static Progress load(Path file, Module model, Optimizer<?> optimizer, Scheduler scheduler, RestorableRandom rng)
            throws IOException {
        Objects.requireNonNull(rng, "rng");
        SafeTensors.Contents c = SafeTensors.read(file);
        Map<String, String> meta = c.metadata();
        if (!FORMAT.equals(meta.get("format")) || !READABLE.contains(meta.get("version"))) {
            throw new IOException(file + ": not a jgrad checkpoint (versions 1 and 2 are read); its metadata is " + meta);
        }
        long epoch = count(file, meta, "epoch"), step = count(file, meta, "step"), rngState = number(file, meta, "rng_state");
        String modelClass = text(file, meta, "model"), optimizerClass = text(file, meta, "optimizer");
        Map<String, Tensor> modelState = new LinkedHashMap<>(), optimizerState = new LinkedHashMap<>();
        for (var e : c.tensors().entrySet()) {
            String k = e.getKey();
            if (k.startsWith(MODEL)) modelState.put(k.substring(MODEL.length()), e.getValue());
            else if (k.startsWith(OPTIMIZER)) optimizerState.put(k.substring(OPTIMIZER.length()), e.getValue());
            else throw new IOException(file + ": tensor '" + k + "' is neither model state nor optimizer state");
            String bad = nonFinite(e.getValue());
            if (bad != null) throw new IOException(file + ": " + k + " holds " + bad + "; a checkpoint holds finite values only");
        }
        String schedulerClass = meta.get(SCHEDULER);
        Map<String, String> schedulerState = new LinkedHashMap<>();
        meta.forEach((k, v) -> {
            if (k.startsWith(SCHEDULER + ".")) schedulerState.put(k.substring(SCHEDULER.length() + 1), v);
        });
        if (schedulerClass == null && !schedulerState.isEmpty()) {
            throw new IOException(file + ": holds scheduler state " + schedulerState.keySet() + " but no 'scheduler' class name");
        }

        if (!model.getClass().getName().equals(modelClass)) {
            throw new IllegalArgumentException(file + ": holds the state of a " + modelClass + " model, not of a " + model.getClass().getName());
        }
        ModelFiles.LoadReport report = ModelFiles.compare(model, modelState);
        if (!report.isExact()) throw new IllegalArgumentException(file + ": model state does not fit " + model.getClass().getSimpleName() + "; " + report);
        if (!optimizer.getClass().getName().equals(optimizerClass)) {
            throw new IllegalArgumentException(file + ": holds the state of a " + optimizerClass + ", not of a " + optimizer.getClass().getName());
        }
        if (scheduler == null && schedulerClass != null) {
            throw new IllegalArgumentException(file + ": holds the state of a " + schedulerClass + " learning-rate scheduler; expected it to be"
                    + " passed to Checkpoint.load (resuming without it would start the schedule over)");
        }
        if (scheduler != null && schedulerClass == null) {
            throw new IllegalArgumentException(file + ": holds no scheduler state (saved without a scheduler"
                    + (meta.get("version").equals("1") ? ", by a jgrad whose checkpoints had none" : "")
                    + "); expected one to restore the " + scheduler.getClass().getName()
                    + " from; load it without the scheduler and replay the scheduler's step() calls");
        }
        if (scheduler != null && !scheduler.getClass().getName().equals(schedulerClass)) {
            throw new IllegalArgumentException(file + ": holds the state of a " + schedulerClass + " scheduler, not of a " + scheduler.getClass().getName());
        }

        // each loadStateDict checks everything before it changes anything; the scheduler's is undone if the optimizer's fails
        Map<String, String> schedulerBefore = scheduler == null ? null : scheduler.stateDict();
        if (scheduler != null) {
            try {
                scheduler.loadStateDict(schedulerState);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
        }
        try {
            optimizer.loadStateDict(optimizerState);
        } catch (IllegalArgumentException e) {
            if (scheduler != null) scheduler.loadStateDict(schedulerBefore);
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        model.loadStateDict(modelState);                    // cannot fail: matched above
        rng.setState(rngState);
        return new Progress(epoch, step);
    }

    /** The first non-finite value of {@code t} and where it is, or null. */
    private static String nonFinite(Tensor t) {
        float[] v = t.toArray();
        for (int i = 0; i < v.length; i++) if (!Float.isFinite(v[i])) return v[i] + " at index " + i + " of " + v.length;
        return null;
    }

    private static String text(Path file, Map<String, String> meta, String key) throws IOException {
        String v = meta.get(key);
        if (v == null || v.isBlank()) throw new IOException(file + ": checkpoint metadata '" + key + "' is missing; expected a class name");
        return v;
    }

    private static long count(Path file, Map<String, String> meta, String key) throws IOException {
        long n = number(file, meta, key);
        if (n < 0) throw new IOException(file + ": checkpoint metadata '" + key + "' is " + n + "; expected a count ≥ 0");
        return n;
    }

    private static long number(Path file, Map<String, String> meta, String key) throws IOException {
        String v = meta.get(key);
        try {
            return Long.parseLong(Objects.requireNonNull(v));
        } catch (NumberFormatException | NullPointerException e) {
            throw new IOException(file + ": checkpoint metadata '" + key + "' must be an integer, got " + (v == null ? "nothing" : "'" + v + "'"), e);
        }
    }
}
