import java.util.ArrayList;

public class Main {
    public static void main(String[] args) {
        ArrayList<long[]> chunks = new ArrayList<>();
        while (true) chunks.add(new long[1 << 17]);
    }
}
