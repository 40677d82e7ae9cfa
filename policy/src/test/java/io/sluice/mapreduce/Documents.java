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

  /**
   * Dense prose of about {@code chars} characters, about 4 characters per o200k token (short words,
   * figures, commas), in paragraphs of a few sentences: the density of the 8 MB, 2-million token
   * document of the map-reduce benchmarks.
   */
  static String dense(long seed, int chars) {
    String[] shortWords = {"a", "to", "of", "it", "is", "on", "by", "we", "be", "or", "in", "at"};
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder out = new StringBuilder(chars + 100);
    int sentences = 0;
    while (out.length() < chars) {
      int words = 4 + random.nextInt(9);
      for (int w = 0; w < words; w++) {
        out.append(w == 0 ? "" : " ");
        int kind = random.nextInt(10);
        if (kind < 6) {
          out.append(shortWords[random.nextInt(shortWords.length)]);
        } else if (kind < 8) {
          out.append(random.nextInt(1000)).append(',');
        } else {
          out.append(WORDS[random.nextInt(WORDS.length)]);
        }
      }
      out.append(". ");
      if (++sentences % 6 == 0) {
        out.setLength(out.length() - 1);
        out.append("\n\n");
      }
    }
    return out.toString();
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
