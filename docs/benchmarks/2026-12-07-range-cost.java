import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.Stores;
import io.sluice.dispatcher.internal.SortedMemoryStore;

public class RangeCost {
  public static void main(String[] a) {
    for (int n : new int[] {10_000, 100_000, 1_000_000}) {
      for (String kind : new String[] {"kafka", "sorted"}) {
        KeyValueStore<Bytes, byte[]> s = kind.equals("kafka") ? Stores.inMemoryKeyValueStore("k").get() : SortedMemoryStore.supplier("s").get();
        s.init(new MockProcessorContext<>().getStateStoreContext(), s);
        for (int i = 0; i < n; i++) s.put(Bytes.wrap(String.format("openai/bulk/tenant/%019d", i).getBytes()), new byte[1300]);
        Bytes from = Bytes.wrap("openai/bulk/tenant/".getBytes()), to = Bytes.wrap("openai/bulk/tenant0".getBytes());
        int reps = 200; long t0 = 0;
        for (int r = 0; r < reps + 50; r++) {
          if (r == 50) t0 = System.nanoTime();
          try (KeyValueIterator<Bytes, byte[]> it = s.range(from, to)) { if (it.hasNext()) it.next(); }
        }
        System.out.printf("%s n=%,d: %.3f ms per head-of-range read%n", kind, n, (System.nanoTime() - t0) / 1e6 / reps);
      }
    }
  }
}
