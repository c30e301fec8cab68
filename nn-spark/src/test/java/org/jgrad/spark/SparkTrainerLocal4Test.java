package org.jgrad.spark;

/** SparkTrainer against Trainer on local[4]. */
class SparkTrainerLocal4Test extends SameBitsAsTrainer {

    @Override
    String master() {
        return "local[4]";
    }
}
