/**
 * jcstress tests of {@code dev.netkit.connmatrix} with three or four actors: single-winner removes
 * among three removers using all three remove forms, and two owners adding on their shards while a third
 * thread reads both entries by predicted id. They need at least four CPUs; see {@code dev.netkit.stressmany}.
 */
package dev.netkit.stressmany.connmatrix;
