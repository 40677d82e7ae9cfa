package io.sluice.mapreduce;

/**
 * The partial answers one reduce call combines: a run of consecutive answers of one level.
 *
 * @param index its place in the next level (its output's index there)
 * @param from the first answer it combines (inclusive)
 * @param to after the last answer it combines (exclusive)
 * @param tokens the answers' tokens plus one separator each: what the call carries besides its
 *     instruction
 */
public record ReduceGroup(int index, int from, int to, long tokens) {

  public ReduceGroup {
    if (index < 0 || from < 0 || to <= from) {
      throw new IllegalArgumentException(
          "group " + index + ": bad range [" + from + ", " + to + ")");
    }
  }

  /** How many answers it combines. */
  public int size() {
    return to - from;
  }
}
