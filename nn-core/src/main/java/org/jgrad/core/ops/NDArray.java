package org.jgrad.core.ops;

import java.util.Arrays;

/**
 * A dense float32 array: contiguous row-major storage plus a shape. The value type the ops
 * compute on; it knows nothing of gradients. Reshaping shares storage; every other op writes a
 * new array.
 */
public final class NDArray {

    final float[] data;
    final int[] shape;

    /** Wraps {@code data} (not copied) as an array of {@code shape}. */
    public NDArray(float[] data, int... shape) {
        int n = Shapes.numel(shape);
        if (data.length != n) {
            throw new IllegalArgumentException("shape " + Shapes.str(shape) + " needs " + n + " values, got " + data.length);
        }
        this.data = data;
        this.shape = shape.clone();
    }

    /** Zeros of {@code shape}; inside an {@link Arena} scope the array comes from the arena. */
    public static NDArray zeros(int... shape) {
        return new NDArray(Arena.floats(Shapes.numel(shape)), shape);
    }

    /**
     * An array of {@code shape} whose elements the caller must all write before anyone reads them
     * (an op's result that its kernel overwrites): inside an {@link Arena} scope it is a reused
     * array that is not zeroed first.
     */
    public static NDArray empty(int... shape) {
        return new NDArray(Arena.uninitialized(Shapes.numel(shape)), shape);
    }

    public static NDArray full(float value, int... shape) {
        float[] d = Arena.floats(Shapes.numel(shape));
        Arrays.fill(d, value);
        return new NDArray(d, shape);
    }

    public static NDArray scalar(float value) {
        return new NDArray(new float[] {value});
    }

    /** The live storage: writes change this array and every reshape of it. */
    public float[] data() {
        return data;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int dim(int d) {
        return shape[d];
    }

    public int rank() {
        return shape.length;
    }

    public int size() {
        return data.length;
    }

    /** Same storage, another shape with the same number of elements (-1 infers one dimension). */
    public NDArray reshape(int... newShape) {
        return new NDArray(data, Shapes.inferReshape("reshape", shape, newShape));
    }

    public NDArray copy() {
        return new NDArray(data.clone(), shape);
    }

    boolean sameShape(NDArray o) {
        return Arrays.equals(shape, o.shape);
    }

    @Override
    public String toString() {
        return "NDArray" + Shapes.str(shape);
    }
}
