package io.sluice.bench.mapreduce;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Random;

/**
 * The map-reduce benchmark's document: paragraphs of short words that are one o200k token each
 * (about 3.5 bytes a token, so 2,000,000 tokens fit the 10 MB document limit), with the needle word
 * placed at random; how many times it occurs is counted from the text itself, independently of
 * Sluice. The same seed gives the same document.
 */
public record NeedleDocument(String text, String needle, int needles, int tokens) {
  private static final String[] WORDS = {
    " a", " I", " of", " to", " in", " is", " it", " on", " at", " by", " we", " he", " be", " as",
    " or", " an", " up", " so", " no", " do", " go", " me", " my", " us", " if", " the", " and",
    " for", " you", " not", " are", " but", " can", " had", " his", " was", " one", " all", " new"
  };
  private static final String NEEDLE = " zebra";
  private static final int PARAGRAPH_WORDS = 120;

  /** A document of at least {@code minTokens} o200k tokens. */
  public static NeedleDocument generate(int minTokens, double needleShare, long seed) {
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder(minTokens * 4);
    int words = 0;
    // a little over the target: whitespace and paragraph breaks merge with neighbours sometimes
    int target = (int) (minTokens * 1.02);
    while (words < target) {
      text.append("Part");
      for (int i = 0; i < PARAGRAPH_WORDS; i++) {
        text.append(
            random.nextDouble() < needleShare ? NEEDLE : WORDS[random.nextInt(WORDS.length)]);
      }
      text.append(".\n\n");
      words += PARAGRAPH_WORDS + 3;
    }
    String document = text.toString();
    Encoding o200k = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    int tokens = o200k.countTokensOrdinary(document);
    return new NeedleDocument(document, NEEDLE.strip(), count(document, NEEDLE.strip()), tokens);
  }

  static int count(String text, String word) {
    int count = 0;
    for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length())) {
      count++;
    }
    return count;
  }
}
