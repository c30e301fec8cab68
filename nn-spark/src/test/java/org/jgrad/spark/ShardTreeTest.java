package org.jgrad.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.jgrad.core.Gradients;
import org.junit.jupiter.api.Test;

class ShardTreeTest {

    /**
     * Partitions that sum their whole subtrees and a driver that finishes the tree give the bits of
     * Gradients.sumTree over all shards, for every shard count up to 40 cut into 1 to 7 partitions.
     */
    @Test
    void subtreesSummedApartAndFinishedGiveTheBitsOfSumTree() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int shards = 1; shards <= 40; shards++) {
            float[][][] data = new float[shards][2][];
            double[] losses = new double[shards];
            for (int s = 0; s < shards; s++) {
                for (int p = 0; p < 2; p++) {
                    data[s][p] = new float[5 + p];
                    for (int i = 0; i < data[s][p].length; i++) data[s][p][i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(-3, 4)));
                }
                losses[s] = rng.nextDouble() / 3;
            }
            float[][][] expected = copy(data);
            double[] expectedLoss = losses.clone();
            Gradients.sumTree(expected, 0, shards);
            Gradients.sumTree(expectedLoss, 0, shards);

            for (int parts = 1; parts <= Math.min(7, shards); parts++) {
                float[][][] grads = new float[shards][][];
                double[] l = new double[shards];
                int[] end = new int[shards];
                int covered = 0;
                for (int[] range : ShardTree.ranges(shards, parts)) {
                    for (int[] node : ShardTree.nodesWithin(shards, range[0], range[1])) {
                        assertThat(node[0]).as("nodes are contiguous").isEqualTo(covered);
                        covered = node[1];
                        float[][][] sub = copy(data);
                        double[] subLoss = losses.clone();
                        Gradients.sumTree(sub, node[0], node[1]);
                        Gradients.sumTree(subLoss, node[0], node[1]);
                        grads[node[0]] = sub[node[0]];
                        l[node[0]] = subLoss[node[0]];
                        end[node[0]] = node[1];
                    }
                }
                assertThat(covered).isEqualTo(shards);
                ShardTree.finish(grads, l, end, 0, shards);
                assertThat(grads[0]).as("%d shards in %d partitions", shards, parts).isDeepEqualTo(expected[0]);
                assertThat(l[0]).as("%d shards in %d partitions", shards, parts).isEqualTo(expectedLoss[0]);
            }
        }
    }

    @Test
    void aPartitionAlignedWithTheTreeSumsOneSubtree() {
        assertThat(ShardTree.nodesWithin(8, 4, 8)).containsExactly(new int[] {4, 8});
        List<int[]> nodes = ShardTree.nodesWithin(6, 0, 3);     // tree of 6: ([0,2) + [2,4)) + [4,6)
        assertThat(nodes).containsExactly(new int[] {0, 2}, new int[] {2, 3});
    }

    private static float[][][] copy(float[][][] a) {
        float[][][] c = new float[a.length][][];
        for (int s = 0; s < a.length; s++) {
            c[s] = new float[a[s].length][];
            for (int p = 0; p < a[s].length; p++) c[s][p] = a[s][p].clone();
        }
        return c;
    }
}
