package org.jgrad.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jgrad.core.Tensor;
import org.jgrad.nn.Module;

/**
 * Saves a module's state dict to a safetensors file and loads one back, under the module's
 * dotted names ({@code 0.weight}, {@code fc1.bias}), which are PyTorch's: a file written by
 * {@code safetensors.torch.save_file(model.state_dict(), path)} for the same layers loads here,
 * and one saved here loads in PyTorch.
 *
 * <p><b>Errors.</b> A file that cannot be read or is corrupt: {@link IOException} naming the file
 * and the problem (see {@link SafeTensors}). A valid file that does not fit the module (missing,
 * unexpected or mis-shaped names): {@link IllegalArgumentException} naming the file and listing
 * them. Either way the module is unchanged: the whole file is read and checked before a single
 * value is copied.
 *
 * <pre>{@code
 * jshell> ModelFiles.save(net, Path.of("net.safetensors"));
 * jshell> ModelFiles.load(copy, Path.of("net.safetensors"));
 * jshell> ModelFiles.loadNonStrict(bigger, Path.of("net.safetensors")).missing()
 * $4 ==> [4.weight, 4.bias]
 * }</pre>
 */
public final class ModelFiles {

    private ModelFiles() {}

    /**
     * How a file's names matched a module's: names the module has but the file lacks, names the
     * file has but the module lacks, and names whose shapes differ (with both shapes).
     *
     * @param missing names in the module but not the file
     * @param unexpected names in the file but not the module
     * @param misShaped names whose shapes differ, with both shapes
     */
    public record LoadReport(List<String> missing, List<String> unexpected, List<String> misShaped) {
        /**
         * Copies the lists, so the report cannot change.
         *
         * @param missing names in the module but not the file
         * @param unexpected names in the file but not the module
         * @param misShaped names whose shapes differ, with both shapes
         */
        public LoadReport {
            missing = List.copyOf(missing);
            unexpected = List.copyOf(unexpected);
            misShaped = List.copyOf(misShaped);
        }

        /**
         * True when every name matched.
         *
         * @return true if nothing is missing, unexpected or mis-shaped
         */
        public boolean isExact() {
            return missing.isEmpty() && unexpected.isEmpty() && misShaped.isEmpty();
        }

        @Override
        public String toString() {
            return "missing: " + missing + "; unexpected: " + unexpected + "; wrong shape: " + misShaped;
        }
    }

    /**
     * Writes {@code module}'s state dict as F32 with metadata {@code format: pt}, atomically.
     *
     * @param module the module to save
     * @param file destination, replaced atomically
     * @throws IOException if the file cannot be written
     */
    public static void save(Module module, Path file) throws IOException {
        SafeTensors.write(file, module.stateDict(), Map.of("format", "pt"));
    }

    /**
     * Loads every parameter and buffer of {@code module} from {@code file}; names and shapes must match exactly.
     *
     * @param module the module to load into
     * @param file a safetensors file
     * @throws IOException if the file is unreadable or corrupt
     * @throws IllegalArgumentException if the names or shapes differ; nothing is loaded
     */
    public static void load(Module module, Path file) throws IOException {
        Map<String, Tensor> state = SafeTensors.read(file).tensors();
        LoadReport report = compare(module, state);
        if (!report.isExact()) {
            throw new IllegalArgumentException(file + ": does not fit " + module.getClass().getSimpleName() + "; " + report);
        }
        module.loadStateDict(state);
    }

    /**
     * Loads the names that fit (present in both with the same shape), leaves the module's other
     * values as they are and reports the rest. A corrupt file still throws and loads nothing.
     *
     * @param module the module to load into
     * @param file a safetensors file
     * @return which names were missing, unexpected or mis-shaped
     * @throws IOException if the file is unreadable or corrupt
     */
    public static LoadReport loadNonStrict(Module module, Path file) throws IOException {
        Map<String, Tensor> state = SafeTensors.read(file).tensors();
        LoadReport report = compare(module, state);
        Map<String, Tensor> merged = new LinkedHashMap<>(module.stateDict());
        for (var e : merged.entrySet()) {
            Tensor t = state.get(e.getKey());
            if (t != null && Arrays.equals(t.shape(), e.getValue().shape())) e.setValue(t);
        }
        module.loadStateDict(merged);
        return report;
    }

    /** Compares {@code state}'s names and shapes with {@code module}'s state dict. */
    static LoadReport compare(Module module, Map<String, Tensor> state) {
        Map<String, Tensor> own = module.stateDict();
        List<String> missing = new ArrayList<>(), misShaped = new ArrayList<>();
        TreeSet<String> unexpected = new TreeSet<>(state.keySet());
        unexpected.removeAll(own.keySet());
        for (var e : own.entrySet()) {
            Tensor t = state.get(e.getKey());
            if (t == null) missing.add(e.getKey());
            else if (!Arrays.equals(t.shape(), e.getValue().shape())) {
                misShaped.add(e.getKey() + " (expected " + Arrays.toString(e.getValue().shape()) + ", got " + Arrays.toString(t.shape()) + ")");
            }
        }
        return new LoadReport(missing, new ArrayList<>(unexpected), misShaped);
    }
}
