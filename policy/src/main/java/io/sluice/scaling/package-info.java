/**
 * The scaling signal: how many worker instances of a provider can do useful work now — the
 * backlog's demand, capped by what the provider's rate limits let all instances together do. Plain
 * Java; the workers feed it what they measure and publish its answer as a metric.
 */
package io.sluice.scaling;
