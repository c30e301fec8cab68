package org.jgrad.core.kernels;

/**
 * Decides once, at class load, whether kernels use the Vector API or their scalar twins.
 *
 * <p>SIMD is used when the module {@code jdk.incubator.vector} is on the module graph and the
 * system property {@code jgrad.simd} is not {@code false}. When the module is missing (a JShell
 * user who forgot {@code --add-modules}), one line on standard error says how to enable it and
 * everything keeps working on scalar kernels. This class names no Vector API type, so it loads
 * without the module; the {@code Vector*} classes are only touched when {@link #ENABLED} is true.
 */
public final class Simd {

    /** True when the Vector API kernels are in use. */
    public static final boolean ENABLED = decide();

    private Simd() {}

    private static boolean decide() {
        if ("false".equalsIgnoreCase(System.getProperty("jgrad.simd", "true"))) return false;
        boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        if (!present) {
            System.err.println("jgrad: SIMD kernels off (module jdk.incubator.vector not found), so training runs about 10x"
                    + " slower; start java with --add-modules jdk.incubator.vector (see the README: Use it in your build)");
        }
        return present;
    }

    /**
     * Floats per vector register in use (1 for the scalar kernels).
     *
     * @return the lane count
     */
    public static int lanes() {
        return ENABLED ? VectorSupport.lanes() : 1;
    }

    /**
     * A one-line description for reports: "SIMD 512-bit (16 floats)" or "scalar".
     *
     * @return the description
     */
    public static String describe() {
        return ENABLED ? "SIMD " + (VectorSupport.lanes() * 32) + "-bit (" + VectorSupport.lanes() + " floats)" : "scalar";
    }
}
