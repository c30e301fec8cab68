package org.jgrad.spark;

import java.io.Serializable;
import java.util.Arrays;
import org.jgrad.core.Tensor;

/**
 * What one partition computes in one step: shards [from, to) of a batch of {@code batchSize}
 * samples cut into {@code shards} shards of {@code shardSize}, with those shards' rows of the
 * features and labels (row-major, {@code featureShape} and {@code labelShape} per sample).
 */
record ShardWork(int from, int to, int shards, int shardSize, int batchSize,
                 float[] features, int[] featureShape, float[] labels, int[] labelShape) implements Serializable {

    /** Shard {@code s}'s features [len, featureShape...]. */
    Tensor features(int s) {
        return rows(s, features, featureShape);
    }

    /** Shard {@code s}'s labels [len, labelShape...]. */
    Tensor labels(int s) {
        return rows(s, labels, labelShape);
    }

    private Tensor rows(int s, float[] all, int[] perSample) {
        int row = 1;
        for (int d : perSample) row *= d;
        int first = (s - from) * shardSize, len = Math.min(batchSize, (s + 1) * shardSize) - s * shardSize;
        int[] shape = new int[perSample.length + 1];
        shape[0] = len;
        System.arraycopy(perSample, 0, shape, 1, perSample.length);
        return Tensor.of(Arrays.copyOfRange(all, first * row, (first + len) * row), shape);
    }
}
