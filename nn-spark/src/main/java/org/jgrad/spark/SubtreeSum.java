package org.jgrad.spark;

import java.io.Serializable;

/**
 * The sum over shards [lo, hi) — a whole subtree of the fixed tree — of the gradients (one array
 * per parameter), the weighted losses and the correct predictions.
 */
record SubtreeSum(int lo, int hi, float[][] grads, double loss, long correct) implements Serializable {}
