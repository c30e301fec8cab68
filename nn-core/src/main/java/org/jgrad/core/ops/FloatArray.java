package org.jgrad.core.ops;

import java.util.Arrays;

/**
 * A dense float32 array: contiguous row-major storage plus a shape. The value type the ops
 * compute on; it knows nothing of gradients. Reshaping shares storage; every other op writes a
 * new array.
 */
public final class FloatArray {

    final float[] data;
    final int[] shape;

    /**
     * Wraps {@code data} (not copied) as an array of {@code shape}.
     *
     * @param data the elements in row-major order, held as they are
     * @param shape the dimensions, whose product must equal {@code data.length}
     */
    public FloatArray(float[] data, int... shape) {
        int n = Shapes.numel(shape);
        if (data.length != n) {
            throw new IllegalArgumentException("shape " + Shapes.str(shape) + " needs " + n + " values, got " + data.length);
        }
        this.data = data;
        this.shape = shape.clone();
    }

    /**
     * Zeros of {@code shape}; inside an {@link Arena} scope the array comes from the arena.
     *
     * @param shape the dimensions
     * @return a new array of zeros
     */
    public static FloatArray zeros(int... shape) {
        return new FloatArray(Arena.floats(Shapes.numel(shape)), shape);
    }

    /**
     * An array of {@code shape} whose elements the caller must all write before anyone reads them
     * (an op's result that its kernel overwrites): inside an {@link Arena} scope it is a reused
     * array that is not zeroed first.
     *
     * @param shape the dimensions
     * @return an array whose contents are undefined
     */
    public static FloatArray empty(int... shape) {
        return new FloatArray(Arena.uninitialized(Shapes.numel(shape)), shape);
    }

    /**
     * An array of {@code shape} with every element set to {@code value}.
     *
     * @param value fill value
     * @param shape the dimensions
     * @return a new array
     */
    public static FloatArray full(float value, int... shape) {
        float[] d = Arena.floats(Shapes.numel(shape));
        Arrays.fill(d, value);
        return new FloatArray(d, shape);
    }

    /**
     * A 0-d array holding {@code value}.
     *
     * @param value the element
     * @return a new array of shape {@code []}
     */
    public static FloatArray scalar(float value) {
        return new FloatArray(new float[] {value});
    }

    /**
     * The live storage: writes change this array and every reshape of it.
     *
     * @return the backing array
     */
    public float[] data() {
        return data;
    }

    /**
     * The dimensions.
     *
     * @return a copy of the shape
     */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * The size of one dimension.
     *
     * @param d dimension index, from 0
     * @return the size of dimension {@code d}
     */
    public int dim(int d) {
        return shape[d];
    }

    /**
     * The number of dimensions.
     *
     * @return the rank, 0 for a scalar
     */
    public int rank() {
        return shape.length;
    }

    /**
     * The number of elements.
     *
     * @return the backing array's length
     */
    public int size() {
        return data.length;
    }

    /**
     * Same storage, another shape with the same number of elements (-1 infers one dimension).
     *
     * @param newShape the new dimensions; at most one -1
     * @return an array over the same storage
     */
    public FloatArray reshape(int... newShape) {
        return new FloatArray(data, Shapes.inferReshape("reshape", shape, newShape));
    }

    /**
     * A copy with its own storage.
     *
     * @return a new array of the same shape and values
     */
    public FloatArray copy() {
        return new FloatArray(data.clone(), shape);
    }

    boolean sameShape(FloatArray o) {
        return Arrays.equals(shape, o.shape);
    }

    @Override
    public String toString() {
        return "FloatArray" + Shapes.str(shape);
    }
}
