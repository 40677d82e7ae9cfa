package io.sluice.mapreduce;

import java.util.SplittableRandom;

/** Seeded test documents: prose in paragraphs of sentences of words. */
final class Documents {
  private static final String[] WORDS = {
    "contract",
    "party",
    "shall",
    "notice",
    "term",
    "payment",
    "the",
    "of",
    "and",
    "within",
    "agreement",
    "liability",
    "clause",
    "supplier",
    "customer",
    "days",
    "written",
    "consent"
  };

  private Documents() {}

  /** {@code paragraphs} paragraphs of {@code sentences} sentences of 6 to 15 words. */
  static String prose(long seed, int paragraphs, int sentences) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder out = new StringBuilder();
    for (int p = 0; p < paragraphs; p++) {
      if (p > 0) {
        out.append("\n\n");
      }
      for (int s = 0; s < sentences; s++) {
        if (s > 0) {
          out.append(' ');
        }
        out.append(sentence(random));
      }
    }
    return out.toString();
  }

  /** One sentence: a capitalised word, 5 to 14 more, a full stop. */
  static String sentence(SplittableRandom random) {
    int words = 6 + random.nextInt(10);
    StringBuilder out = new StringBuilder();
    for (int w = 0; w < words; w++) {
      String word = WORDS[random.nextInt(WORDS.length)];
      out.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : " " + word);
    }
    return out.append('.').toString();
  }

  /** Words separated by single spaces, no punctuation, no line breaks. */
  static String words(long seed, int count) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder out = new StringBuilder();
    for (int w = 0; w < count; w++) {
      out.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
    }
    return out.toString();
  }
}
