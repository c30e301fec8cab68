package org.jgrad.spark;

/** SparkTrainer against Trainer on local[1]. */
class SparkTrainerLocal1Test extends SameBitsAsTrainer {

    @Override
    String master() {
        return "local[1]";
    }
}
