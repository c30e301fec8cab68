package org.jgrad.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jgrad.core.Tensor;
import org.jgrad.nn.Module;
import org.jgrad.optim.Optimizer;

/**
 * Everything training needs to resume exactly: the model's state dict, the optimizer's (its
 * per-parameter state and each group's learning rate and weight decay), the epoch and step
 * counters and the random generator's state. Training resumed from a checkpoint gives weights
 * bitwise equal to training straight through, provided the loop draws all its randomness from
 * the {@link RestorableRandom} it checkpoints (shuffling, dropout, augmentation) and rebuilds the
 * model and optimizer with the same code (options such as Adam's betas are construction
 * arguments, not state).
 *
 * <p>The file is a safetensors file (written atomically, F32) with tensors {@code model.<name>}
 * and {@code optimizer.<name>} and {@code __metadata__} entries {@code format} =
 * {@code jgrad-checkpoint}, {@code version}, {@code epoch}, {@code step}, {@code rng_state}
 * (decimal), {@code model} and {@code optimizer} (class names, checked on load).
 *
 * <p><b>Errors</b> follow {@link ModelFiles}: {@link IOException} for a file that is unreadable,
 * corrupt or not a checkpoint; {@link IllegalArgumentException} for a valid checkpoint that does
 * not fit the model or optimizer. Either way nothing is changed: the model, optimizer and
 * generator are touched only after the whole file has been read and matched.
 *
 * <pre>{@code
 * jshell> Checkpoint.save(path, model, opt, epoch, step, rng);
 * jshell> var at = Checkpoint.load(path, model, opt, rng);   // at.epoch(), at.step()
 * }</pre>
 */
public final class Checkpoint {

    static final String FORMAT = "jgrad-checkpoint", VERSION = "1";
    private static final String MODEL = "model.", OPTIMIZER = "optimizer.";

    private Checkpoint() {}

    /** Where training stood when the checkpoint was saved. */
    public record Progress(long epoch, long step) {}

    /** Writes a checkpoint of {@code model}, {@code optimizer}, the counters and {@code rng}, atomically. */
    public static void save(Path file, Module model, Optimizer<?> optimizer, long epoch, long step, RestorableRandom rng) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.stateDict().forEach((k, t) -> tensors.put(MODEL + k, t));
        optimizer.stateDict().forEach((k, t) -> tensors.put(OPTIMIZER + k, t));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("version", VERSION);
        meta.put("epoch", Long.toString(epoch));
        meta.put("step", Long.toString(step));
        meta.put("rng_state", Long.toString(rng.state()));
        meta.put("model", model.getClass().getName());
        meta.put("optimizer", optimizer.getClass().getName());
        SafeTensors.write(file, tensors, meta);
    }

    /**
     * Restores {@code model}, {@code optimizer} and {@code rng} in place from {@code file} and
     * returns the saved counters.
     */
    public static Progress load(Path file, Module model, Optimizer<?> optimizer, RestorableRandom rng) throws IOException {
        Objects.requireNonNull(rng, "rng");
        SafeTensors.Contents c = SafeTensors.read(file);
        Map<String, String> meta = c.metadata();
        if (!FORMAT.equals(meta.get("format")) || !VERSION.equals(meta.get("version"))) {
            throw new IOException(file + ": not a jgrad checkpoint (version " + VERSION + "); its metadata is " + meta);
        }
        long epoch = number(file, meta, "epoch"), step = number(file, meta, "step"), rngState = number(file, meta, "rng_state");
        Map<String, Tensor> modelState = new LinkedHashMap<>(), optimizerState = new LinkedHashMap<>();
        for (var e : c.tensors().entrySet()) {
            String k = e.getKey();
            if (k.startsWith(MODEL)) modelState.put(k.substring(MODEL.length()), e.getValue());
            else if (k.startsWith(OPTIMIZER)) optimizerState.put(k.substring(OPTIMIZER.length()), e.getValue());
            else throw new IOException(file + ": tensor '" + k + "' is neither model state nor optimizer state");
        }
        ModelFiles.LoadReport report = ModelFiles.compare(model, modelState);
        if (!report.isExact()) throw new IllegalArgumentException(file + ": model state does not fit " + model.getClass().getSimpleName() + "; " + report);
        if (!optimizer.getClass().getName().equals(meta.get("optimizer"))) {
            throw new IllegalArgumentException(file + ": holds the state of a " + meta.get("optimizer") + ", not of a " + optimizer.getClass().getName());
        }
        for (var e : optimizerState.entrySet()) {
            // Optimizer.loadStateDict sets group values last, one group at a time: refuse a bad one before it starts
            Tensor t = e.getValue();
            if (e.getKey().startsWith("param_groups.") && (t.numel() != 1 || !(t.data()[0] >= 0) || Float.isInfinite(t.data()[0]))) {
                throw new IllegalArgumentException(file + ": optimizer." + e.getKey() + " must be one finite value ≥ 0");
            }
        }
        try {
            optimizer.loadStateDict(optimizerState);        // checks everything before it changes anything
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        model.loadStateDict(modelState);                    // cannot fail: matched above
        rng.setState(rngState);
        return new Progress(epoch, step);
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
