import java.util.ArrayList;
import java.util.List;

public class Main {
    public static void main(String[] args) {
        List<long[]> hoard = new ArrayList<>();
        while (true) {
            long[] block = new long[1 << 17];
            java.util.Arrays.fill(block, 7L);
            hoard.add(block);
        }
    }
}
