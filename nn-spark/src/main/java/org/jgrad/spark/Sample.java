package org.jgrad.spark;

import java.io.Serializable;

/**
 * One training sample of an RDD: its features, row-major in the shape given to
 * {@link SparkTrainer#fit(org.apache.spark.api.java.JavaRDD, int[], org.jgrad.data.Dataset, int, long, int)},
 * and its label (a class index, or a regression target).
 *
 * <pre>{@code
 * jshell> JavaRDD<Sample> train = sc.textFile("hdfs:///data/train.csv").map(Parse::sample);
 * }</pre>
 */
public record Sample(float[] features, float label) implements Serializable {}
