# The two input files of "Bulk runs end to end" in docs/benchmarks.md (issue 12, must-hold 3):
#   python3 2026-12-06-bulk-e2e-files.py   → /tmp/batch-1h-5000.jsonl, /tmp/batch-24h-100k.jsonl
# Support-ticket extraction requests of ~1.6 KB (a system prompt, 100–220 words of ticket text,
# max_tokens 200), models mixed as stated below, lines shuffled; fixed seeds, so the files repeat.
import json
import random

WORDS = ("order shipment invoice refund damaged delayed customer account billing address warehouse"
         " carrier tracking number replacement warranty receipt payment card subscription renewal"
         " cancel upgrade support ticket priority region").split()


def write(path, seed, mix, words):
    rng = random.Random(seed)
    lines = []
    for model, count in mix:
        for i in range(count):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(*words)))
            lines.append({"custom_id": f"{model}-{i}", "method": "POST", "url": "/v1/chat/completions",
                          "body": {"model": model, "max_tokens": 200, "messages": [
                              {"role": "system", "content": "Extract the order number, the problem and"
                                                            " the customer's request as JSON."},
                              {"role": "user", "content": f"Ticket {i}: {text}"}]}})
    rng.shuffle(lines)
    with open(path, "w") as out:
        for line in lines:
            out.write(json.dumps(line) + "\n")


write("/tmp/batch-1h-5000.jsonl", 7,
      [("gpt-4o-mini", 2000), ("gpt-4.1-mini", 1000), ("claude-haiku-4-5", 400),
       ("claude-sonnet-4-5", 100), ("gemini-2.5-flash", 1500)], (120, 200))
write("/tmp/batch-24h-100k.jsonl", 11,
      [("gpt-4o-mini", 70000), ("claude-haiku-4-5", 30000)], (100, 220))
