import java.util.ArrayList;

public class Main {
    public static void main(String[] args) {
        ArrayList<int[]> chunks = new ArrayList<>();
        while (true) {
            chunks.add(new int[1 << 18]);
        }
    }
}
