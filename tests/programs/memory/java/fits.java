public class Main {
    public static void main(String[] args) {
        long[][] rows = new long[48][1 << 17];  // 48 MiB
        for (long[] row : rows) java.util.Arrays.fill(row, 1);
        System.out.println("ok " + rows.length);
    }
}
