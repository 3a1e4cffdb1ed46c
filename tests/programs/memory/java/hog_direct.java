import java.nio.ByteBuffer;
import java.util.ArrayList;

public class Main {
    public static void main(String[] args) {
        ArrayList<ByteBuffer> chunks = new ArrayList<>();
        while (true) chunks.add(ByteBuffer.allocateDirect(1 << 20));
    }
}
