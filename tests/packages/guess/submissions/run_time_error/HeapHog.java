import java.util.ArrayList;
import java.util.List;

public class HeapHog {
    public static void main(String[] args) {
        List<long[]> hoard = new ArrayList<>();
        while (true) {
            hoard.add(new long[1 << 20]);  // 8 MiB at a time until the heap runs out: MLE, a run-time error
        }
    }
}
